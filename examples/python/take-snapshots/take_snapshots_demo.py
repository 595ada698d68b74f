# SPDX-License-Identifier: Apache-2.0
"""Every form of take_snapshots() (nvitop's take-snapshots example)."""

from nvitop import Device, take_snapshots


def main() -> None:
    # All devices (MIG devices included) and the processes of the leaf devices.
    print(take_snapshots())

    # A SnapshotResult unpacks into two lists.
    device_snapshots, gpu_process_snapshots = take_snapshots(Device.all())
    print(f'{len(device_snapshots)} devices, {len(gpu_process_snapshots)} GPU processes')

    # Devices only.
    device_snapshots, _ = take_snapshots(gpu_processes=False)
    print(f'{len(device_snapshots)} devices (no processes)')

    # In CUDA order (CUDA_VISIBLE_DEVICES).
    cuda_devices = Device.cuda.all()
    print(take_snapshots(cuda_devices))

    # The first CUDA device only.
    print(take_snapshots(cuda_devices[:1]))


if __name__ == '__main__':
    main()
