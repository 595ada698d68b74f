# SPDX-License-Identifier: Apache-2.0
"""ANSI colour formatting for terminal output (nvitop.api.termcolor of nvitop 1.7).

Our own code with termcolor's public rules (python-api.md §2.16): the same names, codes, the
same order of the environment checks and the same order of the escapes.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any, Iterable

__all__ = ['colored', 'cprint']

ATTRIBUTES: dict[str, int] = {
    'bold': 1,
    'dark': 2,
    'underline': 4,
    'blink': 5,
    'reverse': 7,
    'concealed': 8,
    'strike': 9,
}

HIGHLIGHTS: dict[str, int] = {
    'on_black': 40,
    'on_grey': 40,
    'on_red': 41,
    'on_green': 42,
    'on_yellow': 43,
    'on_blue': 44,
    'on_magenta': 45,
    'on_cyan': 46,
    'on_light_grey': 47,
    'on_dark_grey': 100,
    'on_light_red': 101,
    'on_light_green': 102,
    'on_light_yellow': 103,
    'on_light_blue': 104,
    'on_light_magenta': 105,
    'on_light_cyan': 106,
    'on_white': 107,
}

COLORS: dict[str, int] = {
    'black': 30,
    'grey': 30,
    'red': 31,
    'green': 32,
    'yellow': 33,
    'blue': 34,
    'magenta': 35,
    'cyan': 36,
    'light_grey': 37,
    'dark_grey': 90,
    'light_red': 91,
    'light_green': 92,
    'light_yellow': 93,
    'light_blue': 94,
    'light_magenta': 95,
    'light_cyan': 96,
    'white': 97,
}

RESET = '\033[0m'


def _can_do_colour(*, no_color: bool | None = None, force_color: bool | None = None) -> bool:
    """termcolor's checks, in its order."""
    if no_color:
        return False
    if force_color:
        return True
    if 'ANSI_COLORS_DISABLED' in os.environ:
        return False
    if 'NO_COLOR' in os.environ:
        return False
    if 'FORCE_COLOR' in os.environ:
        return True
    if os.environ.get('TERM') == 'dumb':
        return False
    if not hasattr(sys.stdout, 'fileno'):
        return False
    try:
        return os.isatty(sys.stdout.fileno())
    except io.UnsupportedOperation:
        return sys.stdout.isatty()


def colored(
    text: object,
    color: str | None = None,
    on_color: str | None = None,
    attrs: Iterable[str] | None = None,
    *,
    no_color: bool | None = None,
    force_color: bool | None = None,
) -> str:
    """Colourise text: colored('Hello', 'red', 'on_grey', ['bold']) (termcolor's rules)."""
    result = str(text)
    if not _can_do_colour(no_color=no_color, force_color=force_color):
        return result
    fmt_str = '\033[%dm%s'
    if color is not None:
        result = fmt_str % (COLORS[color], result)
    if on_color is not None:
        result = fmt_str % (HIGHLIGHTS[on_color], result)
    if attrs is not None:
        for attr in attrs:
            result = fmt_str % (ATTRIBUTES[attr], result)
    return result + RESET


def cprint(
    text: object,
    color: str | None = None,
    on_color: str | None = None,
    attrs: Iterable[str] | None = None,
    *,
    no_color: bool | None = None,
    force_color: bool | None = None,
    **kwargs: Any,
) -> None:
    """Print colourised text (print's keyword arguments pass through)."""
    print(
        colored(text, color, on_color, attrs, no_color=no_color, force_color=force_color),
        **kwargs,
    )
