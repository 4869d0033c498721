"""Shared by the live scenarios: each check prints ok/FAIL, the tally goes to $CHECKS_FILE (one line per check)."""
import os
import sys
import traceback

_tally = os.environ.get("CHECKS_FILE")


def check(name, condition, detail=""):
    line = ("ok" if condition else "FAIL") + ": " + name + ("" if condition else f" ({detail})")
    print(line, flush=True)
    if _tally:
        with open(_tally, "a") as out:
            out.write(line + "\n")
    return condition


def check_raises(name, error_code, action):
    """The call fails with an MlflowException carrying error_code (RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...)."""
    try:
        action()
    except Exception as error:  # mlflow.exceptions.MlflowException (RestException)
        code = getattr(error, "error_code", None)
        return check(name, code == error_code, f"got {code}: {error}")
    return check(name, False, "no error raised")


def guarded(main):
    """Runs the scenario; an unexpected exception is one failed check and a non-zero exit."""
    try:
        main()
    except Exception:
        traceback.print_exc()
        check("the scenario ran to its end", False, "an exception escaped")
        sys.exit(1)
