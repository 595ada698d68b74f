# SPDX-License-Identifier: Apache-2.0
"""Runs the cells of one README session in one namespace, as a reader following the README would,
and prints a JSON report (one entry per cell: 'ok' or the exception's type and message).

Usage: readme_runner.py CELLS.json. The cells are code with the IPython / doctest prompts removed
(the code itself unchanged). A cell whose last statement is an expression is displayed, as
IPython does: its repr() is computed (and kept in the report).

The README elides parts of its examples (`...`, names it never defines). The runner fills them, and
only them: names a block uses without defining are given from FILLED below, and a `name = ...`
placeholder assignment gets FILLED[name] (through the AST: the text of the block is unchanged).
"""

from __future__ import annotations

import ast
import json
import sys
import time
import types
import typing


class Logger:
    """The README's `logger = ...`: a logger with log/close/is_closed."""

    def __init__(self) -> None:
        self.records: list = []
        self.closed = False

    def log(self, metrics) -> None:
        self.records.append(metrics)

    def close(self) -> None:
        self.closed = True

    def is_closed(self) -> bool:
        return self.closed


class SummaryWriter:
    """torch.utils.tensorboard.SummaryWriter stand-in (TensorBoard is not packaged by Debian)."""

    instances: list = []

    def __init__(self, *args, **kwargs) -> None:
        self.scalars: list = []
        SummaryWriter.instances.append(self)

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None) -> None:
        self.scalars.append((tag, float(scalar_value), global_step))


def _tensorboard_standin() -> None:
    module = types.ModuleType('torch.utils.tensorboard')
    module.SummaryWriter = SummaryWriter
    sys.modules['torch.utils.tensorboard'] = module


def _training_names() -> dict:
    """The names the README's TensorBoard loop leaves to the reader: a tiny model and data."""
    import torch  # pylint: disable=import-outside-toplevel
    from torch import nn  # pylint: disable=import-outside-toplevel

    torch.manual_seed(0)
    net = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    data = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(3)]

    def train(net, batch):
        loss = nn.functional.mse_loss(net(batch[0]), batch[1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return {'loss': loss.item()}

    def validate(net, dataset):
        with torch.no_grad():
            return {'loss': sum(nn.functional.mse_loss(net(x), y).item() for x, y in dataset)}

    return {'num_epoch': 2, 'net': net, 'train_dataset': data, 'validation_dataset': data,
            'train': train, 'validate': validate}


def _filled(needs: list[str]) -> dict:
    names: dict = {}
    if 'training' in needs:
        _tensorboard_standin()
        names.update(_training_names())
    if 'fast_sleep' in needs:  # the CSV loop sleeps 60 s 60 times: a minute is 10 ms here
        real_sleep = time.sleep
        time.sleep = lambda seconds: real_sleep(min(seconds, 60) / 6000)
    if 'device' in needs:  # `memory_used: Union[int, NaType] = device.memory_used()`
        from nvitop import Device, NaType  # pylint: disable=import-outside-toplevel

        names.update(device=Device(0), Union=typing.Union, NaType=NaType)
    names['__readme_logger'] = Logger()
    return names


class _FillPlaceholders(ast.NodeTransformer):
    def __init__(self, names: dict) -> None:
        self.names = names

    def visit_Assign(self, node: ast.Assign) -> ast.Assign:  # noqa: N802
        if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis
                and f'__readme_{node.targets[0].id}' in self.names):
            node.value = ast.copy_location(ast.Name(f'__readme_{node.targets[0].id}', ast.Load()), node.value)
        return node


def run_cell(source: str, namespace: dict) -> str | None:
    tree = _FillPlaceholders(namespace).visit(ast.parse(source))
    ast.fix_missing_locations(tree)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, '<readme>', 'exec'), namespace)  # pylint: disable=exec-used
    if last is not None:
        return repr(eval(compile(last, '<readme>', 'eval'), namespace))  # pylint: disable=eval-used
    return None


def main() -> None:
    with open(sys.argv[1], encoding='utf-8') as file:
        session = json.load(file)
    namespace = {'__name__': '__main__', **_filled(session.get('needs', []))}
    report = []
    for cell in session['cells']:
        try:
            shown = run_cell(cell, namespace)
            report.append(['ok', shown])
        except Exception as ex:  # pylint: disable=broad-except
            report.append([type(ex).__name__, str(ex)])
    wait = session.get('wait', 0)
    if wait:  # background daemons of the block run a while, then the logger is closed
        time.sleep(wait)
        namespace['__readme_logger'].close()
        time.sleep(session.get('interval', 0))
    probes = []  # the test's own checks on the session's namespace, after the README's cells
    for probe in session.get('probes', []):
        try:
            probes.append(run_cell(probe, namespace))
        except Exception as ex:  # pylint: disable=broad-except
            probes.append(f'{type(ex).__name__}: {ex}')
    extra = {
        'probes': probes,
        'logged': len(namespace['__readme_logger'].records),
        'scalars': [len(w.scalars) for w in SummaryWriter.instances],
        'tags': sorted({t.split('/')[0] + '/' + t.split('/')[1] for w in SummaryWriter.instances
                        for t, _, _ in w.scalars}),
    }
    print('\n' + json.dumps({'cells': report, 'extra': extra}))


if __name__ == '__main__':
    main()
