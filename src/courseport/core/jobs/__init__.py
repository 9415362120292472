"""Background work: job rows, claiming and leases, progress, completion hooks, outcome callbacks, and the
diagnostic job kind. Threads and processes that run jobs live outside core (worker.py, distributed.py).

`diagnostics` is listed although only tests and `job_kinds` name it: it is a job kind, registered by
whoever assembles a process.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["diagnostics", "job_callbacks", "job_kinds", "jobs"]
