# SPDX-License-Identifier: Apache-2.0
"""Collect resource metrics in a background thread with collect_in_background() (the method form
is ResourceMetricCollector.daemonize())."""

import sys
import time

from nvitop import Device, ResourceMetricCollector, collect_in_background


class InMemoryLogger:
    def __init__(self) -> None:
        self.records = []
        self.closed = False

    def log(self, metrics) -> None:
        self.records.append(metrics)

    def close(self) -> None:
        self.closed = True

    def is_closed(self) -> bool:
        return self.closed


def main(run_for: float = 8.0, interval: float = 2.0) -> None:
    logger = InMemoryLogger()

    def on_collect(metrics):  # called periodically
        if logger.is_closed():  # closed by the user
            return False
        logger.log(metrics)
        print(f'Collected {len(metrics)} metrics at t={metrics["resources/timestamp"]:.1f}')
        return True

    def on_stop(collector):  # called once, at stop
        if not logger.is_closed():
            logger.close()

    collect_in_background(
        on_collect,
        ResourceMetricCollector(Device.cuda.all() or Device.all()),
        interval=interval,
        on_stop=on_stop,
        tag='resources',
    )
    time.sleep(run_for)
    logger.close()
    time.sleep(interval + 0.5)  # the daemon notices at its next collection
    print(f'{len(logger.records)} records')


if __name__ == '__main__':
    main(*(float(arg) for arg in sys.argv[1:3]))
