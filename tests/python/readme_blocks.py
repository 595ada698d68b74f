# SPDX-License-Identifier: Apache-2.0
"""The Python blocks of the seed README's "More than a Monitor", read at test time from the
committed chapter (readme_blocks/nvitop-1.7-README.md):
scripts as they are, IPython sessions and doctests as their cells (prompts removed, outputs
dropped, the code unchanged)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from simrun import ROOT

SECTION = '### More than a Monitor'


def seed_readme() -> Path:
    # The committed chapter (the suite needs nothing outside the checkout); NVITOP_SEED_README
    # names another copy, e.g. the whole seed README, to check the chapter is still the same.
    candidates = [os.environ.get('NVITOP_SEED_README', ''),
                  ROOT / 'tests' / 'python' / 'readme_blocks' / 'nvitop-1.7-README.md']
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FileNotFoundError('the seed README (set NVITOP_SEED_README)')


def blocks(text: str | None = None) -> list[str]:
    """The ```python blocks of the section, in order (a block cut by the end of file included)."""
    text = seed_readme().read_text(encoding='utf-8') if text is None else text
    section = text[text.index(SECTION):]
    next_chapter = re.search(r'^## ', section, flags=re.MULTILINE)
    section = section[:next_chapter.start()] if next_chapter else section
    found = re.findall(r'^```python\n(.*?)(?:^```|\Z)', section, flags=re.MULTILINE | re.DOTALL)
    return [block for block in found if block.strip()]


def kind(block: str) -> str:
    if re.search(r'^In \[\d+\]:', block, flags=re.MULTILINE):
        return 'ipython'
    if re.search(r'^>>> ', block, flags=re.MULTILINE):
        return 'doctest'
    return 'script'


def cells(block: str) -> list[str]:
    """The code cells of a block: one per `In [n]:` or `>>>` prompt, the whole block for a script."""
    found: list[list[str]] = []
    style = kind(block)
    if style == 'script':
        return [block]
    for line in block.splitlines():
        if style == 'ipython':
            start = re.match(r'^In \[\d+\]: ?(.*)$', line)
            more = re.match(r'^\s+\.\.\.: ?(.*)$', line)
        else:
            start = re.match(r'^>>> ?(.*)$', line)
            more = re.match(r'^\.\.\. ?(.*)$', line)
        if start:
            found.append([start.group(1)])
        elif more and found:
            found[-1].append(more.group(1))
        # anything else is output
    return ['\n'.join(lines) + '\n' for lines in found]
