"""fastcst.positions (its own codegen state) gives LibCST's PositionProvider ranges for every node,
on sources with the layouts that move positions around (decorators, ``;``, elif/except chains,
match, CRLF, tabs, a BOM, encodings, continuations, multi-line strings, no final newline, syntax
newer than 3.11)."""

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from zlint.analysis import fastcst

SOURCES = {
    "decorators and nesting": b'''# header comment

import os, sys  # trailing


@decorator
@other(
    1,
)
# between decorators and def
def f(a, b=1, *args, **kw) -> int:
    """doc"""
    x = 1; y = 2;
    def g():
        class C:
            z = [i for i in range(3)]
        return C
    return g(x)

class K(Base, metaclass=M):
    async def m(self):
        async with a as b, c:
            async for i in b:
                await i

    # footer of the class body
''',
    "branches": b'''if a:
    pass
elif b:  # c
    x = f(1)
elif c: y = 2
else:
    z = 3
try:
    f()
except* ValueError as e:
    g()
except* (TypeError, KeyError):
    pass
else:
    h()
finally:
    k()
try:
    pass
except Exception:
    pass
while x:
    break
else:
    x = (
        1)
for i in j: pass; q()
else: pass
''',
    "match": b'''match command.split():
    case [action]:
        pass
    case [action, obj] if obj > 1:
        go(obj)
    case {"x": 1, **rest}:
        pass
    case Point(x=0) | None:
        pass
    case _:
        pass
''',
    "crlf and tabs": b"def f():\r\n\tif x:\r\n\t\treturn g(1)\r\n\r\n\treturn 2\r\nclass C:\r\n  y = 1\r\n",
    "bom and non-ascii": ("\ufeff# coding: utf-8\nnom = 'h\u00e9' + f('\u20ac')\n\u00e9t\u00e9 = f(nom, '\U0001f600')\n"
                          "class \u00c9:\n    \u00e0 = g('\u00e9', \u00e9t\u00e9)\n").encode("utf-8"),
    "latin-1": "# -*- coding: latin-1 -*-\nx = '\u00e9'; y = f(x)\nif y: z = '\u00e0' == x\n".encode("latin-1"),
    "continuations and strings": b'''


# the first statement is on line 4
x = 1 + \\
    2
s = """a
b""" + f(
  \'\'\'c
d\'\'\')
if a and \\
   b:
    pass
t = f"{a(1)} {b!r:>{w}}" f\'\'\'
{c(2)}\'\'\'
''',
    "odd layout": b'''def f():
    x = 1
        # an indented comment
  # a less indented one
    y = [
  1,
        2]

\x0c
# after a form feed
z = 3
with (open(a) as b, open(c) as d):
    pass
lambda: (yield)
del a[0], b
assert x, "m"
global q
n = (m := 2) * [*a]
''',
    "no trailing newline": b"x = 1\nif x:\n    y = f(x)",
    "newer syntax": b"type X = list[int]\ndef f[T](x: T) -> T:\n    return g(x)\n",
    "nested blocks": b"class A:\n  def f(self):\n      if x:\n       for i in y:\n        while z:\n         return q(i)\n",
}


def _nodes(module: cst.Module) -> list:
    found, stack = [], [module]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(fastcst.children(node))
    return found


@pytest.mark.parametrize("name", SOURCES)
def test_every_node_gets_its_positionprovider_range(name):
    module = cst.parse_module(SOURCES[name])
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ranges = fastcst.positions(module)
    assert all(ranges[node] == expected[node] for node in _nodes(module))
