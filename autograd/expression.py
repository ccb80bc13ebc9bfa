r"""A safe parser for arithmetic expressions of named scalars (for ``chainrule draw``).

``evaluate_expression("tanh(x*w + b)", {"x": x, "w": w, "b": b})`` builds the
computation graph of the expression from the given ``Value`` objects. The text
is parsed with :mod:`ast` and checked node by node against a short list of what
is allowed; nothing is ever passed to ``eval``. Allowed:

* numbers (``2``, ``0.5``, ``1e-3``; not ``True``, strings or complex numbers);
* the given variable names;
* ``+  -  *  /  **``, unary ``-`` and ``+``, parentheses;
* calls of the engine's functions, one per one-operand row of the table of
  operations (:data:`autograd.ops.OPS`), today ``exp log sqrt tanh sigmoid
  relu leaky_relu swish silu softplus sin cos tan abs``, each with one
  argument; a row that takes a constant takes it as an optional number
  (``leaky_relu(z, 0.2)``: the slope α).

Anything else (attribute access, subscripts, other names or calls, keyword
arguments, comparisons, lambdas, ...) raises :class:`ExpressionError` naming
the offending piece and its column. Evaluation uses an explicit stack, never
recursion. Operators are the engine's own, so the graph is the one Python
would build: ``x - 3`` is ``x + (-3)``, ``x ** 2`` with a number exponent is the
``**2`` node (d/dx x^p = p x^{p-1}), and ``-3`` is the number -3.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Callable, Mapping

from autograd.ops import OPS
from autograd.value import Value

_CALLABLE_ROWS = [op for op in OPS.values() if op.arity == 1 and op.method]

FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    name: getattr(Value, op.name)
    for op in _CALLABLE_ROWS
    if op.param is None
    for name in (op.name, *op.aliases)
}
"""One-argument functions an expression may call, by name (from the table of operations)."""

SLOPED: tuple[str, ...] = tuple(
    name for op in _CALLABLE_ROWS if op.param is not None for name in (op.name, *op.aliases)
)
"""Functions taking a number as an optional second argument (``leaky_relu``'s slope α)."""

_BINARY = {
    ast.Add: ("+", lambda x, y: x + y),
    ast.Sub: ("-", lambda x, y: x - y),
    ast.Mult: ("*", lambda x, y: x * y),
    ast.Div: ("/", lambda x, y: x / y),
    ast.Pow: ("**", lambda x, y: x**y),
}

_ALLOWED = (
    "numbers, the variables {names}, + - * / **, unary - and +, parentheses, and the "
    "functions " + ", ".join(list(FUNCTIONS) + list(SLOPED))
)


class ExpressionError(ValueError):
    """An expression that is not allowed or cannot be evaluated."""


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscript",
        ast.Compare: "comparison",
        ast.BoolOp: "boolean operator",
        ast.Lambda: "lambda",
        ast.IfExp: "conditional expression",
        ast.JoinedStr: "f-string",
        ast.List: "list",
        ast.Tuple: "tuple",
        ast.Dict: "dict",
        ast.Set: "set",
        ast.ListComp: "comprehension",
        ast.GeneratorExp: "generator",
        ast.NamedExpr: "assignment expression",
        ast.Starred: "starred expression",
    }
    return kinds.get(type(node), type(node).__name__)


class _Checker:
    """Validates an :mod:`ast` tree against the allowed grammar."""

    def __init__(self, text: str, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self.allowed = _ALLOWED.format(names=", ".join(sorted(names)) or "(none given)")

    def piece(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.text, node) or type(node).__name__
        column = getattr(node, "col_offset", 0) + 1
        return f"{segment!r} at column {column}"

    def fail(self, node: ast.AST, why: str) -> ExpressionError:
        return ExpressionError(f"{why}: {self.piece(node)}; allowed: {self.allowed}")

    def check(self, tree: ast.Expression) -> None:
        stack: list[ast.AST] = [tree.body]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Constant):
                value = node.value
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise self.fail(node, f"not a number ({type(value).__name__})")
            elif isinstance(node, ast.Name):
                if node.id in FUNCTIONS or node.id in SLOPED:
                    raise self.fail(node, f"{node.id} is a function: call it as {node.id}(...)")
                if node.id not in self.names:
                    raise self.fail(node, f"unknown name {node.id!r}")
            elif isinstance(node, ast.BinOp):
                if type(node.op) not in _BINARY:
                    raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")
                stack += [node.left, node.right]
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, (ast.USub, ast.UAdd)):
                    raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")
                stack.append(node.operand)
            elif isinstance(node, ast.Call):
                stack += self.check_call(node)
            else:
                raise self.fail(node, f"{_describe(node)} is not allowed")

    def check_call(self, node: ast.Call) -> list[ast.AST]:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.fail(func, "only the listed functions can be called")
        if func.id not in FUNCTIONS and func.id not in SLOPED:
            raise self.fail(func, f"unknown function {func.id!r}")
        if node.keywords:
            raise self.fail(node, f"{func.id}() takes no keyword arguments")
        most = 2 if func.id in SLOPED else 1
        if not 1 <= len(node.args) <= most:
            expected = "one or two arguments" if most == 2 else "exactly one argument"
            raise self.fail(node, f"{func.id}() takes {expected}, got {len(node.args)}")
        if len(node.args) == 2 and _number(node.args[1]) is None:
            raise self.fail(node.args[1], f"the slope of {func.id}() must be a number")
        return [node.args[0]]


def _number(node: ast.AST) -> float | None:
    """The number written by a literal or a negated literal, else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return sign * float(value)
        except OverflowError:
            raise ExpressionError(
                f"the number {str(value)[:12]}... ({len(str(value))} digits) is too large "
                f"for a float (at most about 1.8e308)"
            ) from None
    return None


def check_variable_name(name: str) -> None:
    """Raise ExpressionError unless ``name`` can be a variable of an expression.

    Args:
        name: A proposed variable name.
    """
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ExpressionError(f"variable name {name!r} is not a Python identifier")
    if name in FUNCTIONS or name in SLOPED:
        raise ExpressionError(f"variable name {name!r} is the name of a function")


def parse_expression(text: str, names: Mapping[str, object] | frozenset[str]) -> ast.Expression:
    """Parse ``text`` and check that it uses only what is allowed.

    Args:
        text: The expression, e.g. ``"x*y + tanh(x)"``.
        names: The variable names it may use.

    Returns:
        The checked syntax tree (mode ``eval``).

    Raises:
        ExpressionError: Syntax error, or a piece that is not allowed (the
            message quotes it and gives its column).
    """
    if not isinstance(text, str):
        raise TypeError(f"expression must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("empty expression")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        where = f"at column {error.offset}" if error.offset else "at the end"
        raise ExpressionError(f"invalid syntax {where} of {text.strip()!r}: {error.msg}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            "expression too long or too deeply nested for Python's parser; split it up"
        ) from None
    _Checker(text.strip(), frozenset(names)).check(tree)
    return tree


def evaluate_expression(text: str, variables: Mapping[str, Value]) -> Value:
    """Build the computation graph of ``text`` from the given Values.

    Args:
        text: The expression.
        variables: Name -> ``Value`` for every variable it may use.

    Returns:
        The Value of the expression (a constant leaf if it uses no variable).

    Raises:
        TypeError: A variable is not a Value.
        ExpressionError: The text is not allowed, or evaluating a piece failed
            (``log(-1)``, ``1/0``): the message names the piece.
    """
    for name, value in variables.items():
        check_variable_name(name)
        if not isinstance(value, Value):
            raise TypeError(f"variable {name!r} must be a Value, got {type(value).__name__}")
    tree = parse_expression(text, frozenset(variables))
    source = text.strip()
    results: dict[ast.AST, Value | float] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        number = _number(node)
        if number is not None:
            results[node] = number
            continue
        if isinstance(node, ast.Name):
            results[node] = variables[node.id]
            continue
        operands = _operands(node)
        if not ready:
            stack.append((node, True))
            stack.extend((operand, False) for operand in reversed(operands))
            continue
        args = [results.pop(operand) for operand in operands]
        try:
            results[node] = _apply(node, args)
        except (ArithmeticError, ValueError) as error:
            piece = ast.get_source_segment(source, node)
            raise ExpressionError(f"evaluating {piece!r} failed: {error}") from None
    result = results[tree.body]
    return result if isinstance(result, Value) else Value(result)


def _operands(node: ast.AST) -> list[ast.AST]:
    """The sub-expressions a checked node is computed from (a slope is not one)."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [node.args[0]]
    raise ExpressionError(f"unexpected {_describe(node)} in a checked expression")


def _apply(node: ast.AST, args: list[Value | float]) -> Value | float:
    """One step of evaluation, with the engine's operators.

    Two numbers are combined by the engine too (the left one as a constant
    leaf), so ``(-8) ** 0.5`` and ``10 ** 400`` follow the engine's rules.
    """
    if isinstance(node, ast.BinOp):
        left, right = args
        if not isinstance(left, Value) and not isinstance(right, Value):
            left = Value(left)
        return _BINARY[type(node.op)][1](left, right)
    if isinstance(node, ast.UnaryOp):
        return -args[0] if isinstance(node.op, ast.USub) else args[0]
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ExpressionError(f"unexpected {_describe(node)} in a checked expression")
    argument = args[0] if isinstance(args[0], Value) else Value(args[0])
    if node.func.id in SLOPED:
        constant = [_number(node.args[1])] if len(node.args) == 2 else []
        return getattr(argument, node.func.id)(*constant)
    return FUNCTIONS[node.func.id](argument)


__all__ = [
    "FUNCTIONS",
    "SLOPED",
    "ExpressionError",
    "check_variable_name",
    "evaluate_expression",
    "parse_expression",
]
