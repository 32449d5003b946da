"""A bound on how deeply nested code zlint hands to LibCST and its own analysis.

LibCST's native parser crashes the process (stack overflow) or takes minutes on expressions a
few thousand levels deep (``a+a+...``, ``not not ...``, ``x[0][0]...``), and LibCST's visitors
and zlint's analysis recurse, so even a few hundred levels raise RecursionError. CPython's parser
bounds its own recursion: it reads the file first, and each level of its tree is weighted by
about as many LibCST nodes as it makes. Real code stays under 100 weighted levels.
"""

from __future__ import annotations

import ast
import warnings

MAX_NESTING = 200  # weighted levels
_DEEP_SYNTAX = ("too many nested", "too many levels", "too complex", "too deeply")


def too_deep(display: str, source: bytes) -> tuple[str, int, int] | None:
    """Why ``source`` is nested too deeply to analyse, with the 1-based line and column, or None.
    Syntax errors other than nesting are left to LibCST's parse (it reads newer syntax too)."""
    try:
        with warnings.catch_warnings():  # the user's invalid escapes are no concern here (3.12+ warns)
            warnings.simplefilter("ignore")
            tree = compile(source, display, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (RecursionError, MemoryError):
        return "code nested too deeply to parse", 1, 1
    except SyntaxError as error:
        if error.lineno and any(words in str(error.msg) for words in _DEEP_SYNTAX):
            return f"syntax error: {error.msg}", error.lineno, max(error.offset or 1, 1)
        return None
    except ValueError:
        return None
    stack: list[tuple[ast.AST, int, bool, tuple[int, int]]] = [(tree, 0, False, (1, 1))]
    while stack:
        node, depth, in_fstring, place = stack.pop()
        if hasattr(node, "lineno"):
            place = (node.lineno, node.col_offset + 1)
        if depth > MAX_NESTING:
            return f"code nested too deeply to analyse (over {MAX_NESTING} levels)", *place
        in_fstring = in_fstring or isinstance(node, ast.JoinedStr)  # positions inside are unreliable before 3.12
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else (value,)
            extra = len(children) - 1 if isinstance(node, ast.BoolOp) else 0  # LibCST nests `a and b and c`
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                below = depth + _weight(node, field, child) + extra
                # a one-line expression of n bytes is at most n levels deep (4n weighted): skip the short ones
                if (not in_fstring and isinstance(child, ast.expr) and child.lineno == child.end_lineno
                        and below + 4 * (child.end_col_offset - child.col_offset) <= MAX_NESTING):
                    continue
                stack.append((child, below, in_fstring, place))
    return None


def _weight(parent: ast.AST, field: str, child: ast.AST) -> int:
    """About how many LibCST nodes one level of the AST makes (x[y]: Subscript, SubscriptElement, Index)."""
    if isinstance(parent, ast.Subscript) and field == "slice":
        return 3
    if isinstance(parent, (ast.Call, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.keyword)):
        return 2
    if isinstance(child, ast.stmt):
        return 2
    return 1
