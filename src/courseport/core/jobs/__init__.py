"""Background work: job rows, claiming and leases, progress, completion hooks, outcome callbacks, one event
applied row by row (`job_batches`), and the diagnostic job kind. Threads and processes that run jobs live outside
core (worker.py, distributed.py).

`diagnostics` is a job kind: courseport/wiring.py registers its handler when services are built.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["diagnostics", "job_aborts", "job_batches", "job_callbacks", "job_reads", "jobs", "job_timing"]
