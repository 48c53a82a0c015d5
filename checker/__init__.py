"""Diagnose Power Automate failures caused by Microsoft Entra conditional access and MFA.

    diagnose(text, answers=None) -> dict     the answer to a pasted error or a description
    evaluate_setup(setup) -> dict            what breaks, or will, under a described setup

Both return the JSON-ready dicts that `python -m checker --json` prints (the stable contract the
browser and the tests use): the engine's ranking, then the answer's shape (checker/shape.py:
`answer`, `services`, `other_cause`, `plan`). Standard library only: the same package runs in Pyodide.
"""
__version__ = "0.1.0"


def diagnose(text, answers=None):
    from .text.engine import diagnose as _diagnose
    from .shape import shape_diagnosis

    return shape_diagnosis(_diagnose(text, answers), text)


def evaluate_setup(setup):
    from .rollout import evaluate_setup as _evaluate
    from .shape import shape_setup

    return shape_setup(_evaluate(setup))
