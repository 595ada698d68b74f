# SPDX-License-Identifier: Apache-2.0
"""What /proc says of a process, read here independently of libnvitop, and children to query
(the process tests signal only the children they spawn)."""

import os
import pwd
import re
import subprocess
import sys
import textwrap
import time

SOURCE_DIR = os.environ.get('NVITOP_SOURCE_DIR') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYOUT = os.path.join(SOURCE_DIR, 'tests', 'abi', 'layout_1_7_0.h')

STATUS_WORDS = {'R': 'running', 'S': 'sleeping', 'D': 'disk-sleep', 'T': 'stopped', 't': 'tracing-stop',
                'Z': 'zombie', 'X': 'dead', 'I': 'idle'}


def proc_stat(pid):
    """The fields of /proc/PID/stat after the command name, numbered as in proc(5) from 3."""
    with open(f'/proc/{pid}/stat', encoding='ascii', errors='replace') as f:
        data = f.read()
    rest = data[data.rindex(')') + 2:].split()
    return {index + 3: field for index, field in enumerate(rest)}


def boot_time():
    with open('/proc/stat', encoding='ascii') as f:
        for line in f:
            if line.startswith('btime '):
                return int(line.split()[1])
    raise AssertionError('no btime in /proc/stat')


def create_time(pid):
    return boot_time() + int(proc_stat(pid)[22]) / os.sysconf('SC_CLK_TCK')


def uptime():
    with open('/proc/uptime', encoding='ascii') as f:
        return float(f.read().split()[0])


def meminfo():
    out = {}
    with open('/proc/meminfo', encoding='ascii') as f:
        for line in f:
            key, value = line.split(':', 1)
            out[key] = int(value.split()[0]) * 1024
    return out


def rss(pid):
    return int(proc_stat(pid)[24]) * os.sysconf('SC_PAGE_SIZE')


def uid(pid):
    with open(f'/proc/{pid}/status', encoding='ascii', errors='replace') as f:
        return int(re.search(r'^Uid:\s+(\d+)', f.read(), re.M).group(1))


def username(pid):
    return pwd.getpwuid(uid(pid)).pw_name


def comm(pid):
    with open(f'/proc/{pid}/comm', encoding='utf-8', errors='replace') as f:
        return f.read().rstrip('\n')


def cmdline(pid):
    """/proc/PID/cmdline split on NUL, trailing empty words dropped (nvitop's cmdline())."""
    with open(f'/proc/{pid}/cmdline', 'rb') as f:
        data = f.read()
    return [os.fsdecode(w) for w in data.rstrip(b'\0').split(b'\0')] if data.strip(b'\0') else []


def environ(pid):
    with open(f'/proc/{pid}/environ', 'rb') as f:
        data = f.read()
    return dict(os.fsdecode(e).split('=', 1) for e in data.split(b'\0') if b'=' in e)


def ppid(pid):
    return int(proc_stat(pid)[4])


def spawn(code='import time; time.sleep(120)', args=(), env=None, cwd=None):
    """A python3 child running `code` that has started (it printed a line) when this returns."""
    wrapped = 'import sys; sys.stdout.write("ready\\n"); sys.stdout.flush()\n' + textwrap.dedent(code)
    child = subprocess.Popen([sys.executable, '-c', wrapped, *args], stdout=subprocess.PIPE,
                             env=env, cwd=cwd)
    assert child.stdout.readline() == b'ready\n'
    return child


def reap(child):
    if child.poll() is None:
        child.kill()
    child.wait()
    child.stdout.close()


def wait_state(pid, letter, timeout=10.0):
    deadline = time.monotonic() + timeout
    while proc_stat(pid)[3] != letter:
        assert time.monotonic() < deadline, f'pid {pid} never reached state {letter}'
        time.sleep(0.01)


def gone_pid():
    """A pid that no process has now: a child that ended and was reaped."""
    child = subprocess.Popen([sys.executable, '-c', 'pass'])
    child.wait()
    return child.pid


def abi_layout():
    """{struct: (size, {field: offset})} from the frozen layout header."""
    layout = {}
    with open(LAYOUT, encoding='ascii') as f:
        for line in f:
            m = re.match(r'NVITOP_ABI_(FIXED|GROWS)\((\w+), (\d+)\)', line)
            if m:
                layout[m.group(2)] = (int(m.group(3)), {})
            m = re.match(r'NVITOP_ABI_FIELD\((\w+), (\w+), (\d+)\)', line)
            if m:
                layout[m.group(1)][1][m.group(2)] = int(m.group(3))
    return layout


def check_mirror(struct, c_name):
    """Every field of a ctypes mirror at C's offset, as large as C leaves room for, and the same
    fields in the same order; the struct's size equal to C's."""
    size, fields = abi_layout()[c_name]
    names = [name for name, _ in struct._fields_]
    assert names == list(fields), f'{c_name}: fields {names} != {list(fields)}'
    offsets = sorted(fields.values()) + [size]
    for name, _ in struct._fields_:
        descriptor = getattr(struct, name)
        assert descriptor.offset == fields[name], f'{c_name}.{name}: offset {descriptor.offset} != {fields[name]}'
        room = min(o for o in offsets if o > fields[name]) - fields[name]
        assert descriptor.size <= room, f'{c_name}.{name}: size {descriptor.size} > {room}'
    import ctypes  # pylint: disable=import-outside-toplevel

    assert ctypes.sizeof(struct) == size, f'{c_name}: size {ctypes.sizeof(struct)} != {size}'
