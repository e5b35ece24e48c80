"""Contributions: check a submission in the context of the dataset, and apply it (SPEC §7).

`check_submission(project, inputs)` reads the files or request bodies (size limit before
reading, no network), applies the policy a merge-check cannot see, and validates the merged
data on the focus nodes the submission can affect. `apply_submission` does the same under an
exclusive lock and writes an accepted submission into `data/submissions/` in one atomic step.
The CLI (`llmboom submit`) and the HTTP server (`POST /submissions`) both call these.
"""

from llmboom.submission.apply import apply_submission
from llmboom.submission.check import check_submission
from llmboom.submission.inputs import SubmissionInput
from llmboom.submission.report import Outcome, Problem, SubmissionReport

__all__ = [
    "Outcome",
    "Problem",
    "SubmissionInput",
    "SubmissionReport",
    "apply_submission",
    "check_submission",
]
