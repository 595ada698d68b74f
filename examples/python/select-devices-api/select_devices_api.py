# SPDX-License-Identifier: Apache-2.0
"""Choose the GPUs for a run with select_devices() (the Python form of nvisel)."""

import os

from nvitop import select_devices


def main() -> None:
    indices = select_devices(format='index', min_count=1, min_free_memory='100MiB')
    print(f'Selected indices: {indices}')

    uuids = select_devices(format='uuid', min_count=1, min_free_memory='100MiB')
    print(f'Selected UUIDs: {uuids}')
    if uuids:
        os.environ['CUDA_VISIBLE_DEVICES'] = ','.join(uuids)  # before importing a framework
        print(f'CUDA_VISIBLE_DEVICES={os.environ["CUDA_VISIBLE_DEVICES"]}')


if __name__ == '__main__':
    main()
