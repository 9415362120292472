"""courseport: one course service that speaks four LMS course APIs."""

__version__ = "0.1.0"
