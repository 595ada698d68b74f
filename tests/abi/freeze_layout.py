#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the frozen layout of a release's public structs (tests/abi/layout_<version>.h).

Run once when a version is released, on an LP64 machine, from the source root:
    tests/abi/freeze_layout.py 1.7.0 > tests/abi/layout_1_7_0.h
It reads every `typedef struct` and `typedef enum` of include/nvitop/*.h, compiles a probe that
prints each field's offset, each struct's size and each enumerator's value, and writes them as
macro calls that tests/abi/test_struct_layout.c turns into static assertions against the
headers of the day. The file is then never edited: a program built against that release reads
those offsets, so the headers must keep them (docs/library.md, "Adding a field").
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

# Allocated by the library and only ever reached through a pointer (never an array element,
# never embedded in another struct, never allocated by the caller): these may grow at their end.
GROWABLE = {"nvitop_snapshot_t", "nvitop_process_list_t", "nvitop_metrics_t", "nvitop_selection_t"}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def member_name(decl):
    pointer_to_function = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
    if pointer_to_function:
        return pointer_to_function.group(1)
    return re.sub(r"\[[^\]]*\]", "", decl).split()[-1].lstrip("*")


def parse(headers):
    structs, enums = [], []
    for path in headers:
        text = strip_comments(open(path).read())
        for body, name in re.findall(r"typedef struct \w+ \{(.*?)\} (\w+);", text, re.S):
            decls = [d.strip() for d in body.split(";") if d.strip()]
            structs.append((name, [member_name(d) for d in decls]))
        for body in re.findall(r"typedef enum \w+ \{(.*?)\} \w+;", text, re.S):
            for item in body.split(","):
                item = item.strip()
                if item and not item.split("=")[0].strip().endswith("__COUNT"):
                    enums.append(item.split("=")[0].strip())
    return structs, enums


def probe_source(structs, enums):
    lines = ["#include <nvitop.h>", "#include <stddef.h>", "#include <stdio.h>", "int main(void)", "{"]
    for name, fields in structs:
        macro = "NVITOP_ABI_GROWS" if name in GROWABLE else "NVITOP_ABI_FIXED"
        lines.append(f'    printf("{macro}({name}, %zu)\\n", sizeof({name}));')
        for field in fields:
            lines.append(f'    printf("NVITOP_ABI_FIELD({name}, {field}, %zu)\\n", offsetof({name}, {field}));')
    for enumerator in enums:
        lines.append(f'    printf("NVITOP_ABI_VALUE({enumerator}, %lld)\\n", (long long){enumerator});')
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


def main():
    version = sys.argv[1]
    structs, enums = parse(sorted(glob.glob("include/nvitop/*.h")))
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "probe.c"), os.path.join(tmp, "probe")
        open(src, "w").write(probe_source(structs, enums))
        subprocess.run(["cc", "-std=c11", "-Iinclude", src, "-o", exe], check=True)
        body = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    print(f"/* SPDX-License-Identifier: Apache-2.0 */")
    print(f"/* The public structs of libnvitop {version} as a program built against it sees them")
    print(f" * (LP64), written by tests/abi/freeze_layout.py at the release: never edit it. */")
    print(body, end="")


if __name__ == "__main__":
    main()
