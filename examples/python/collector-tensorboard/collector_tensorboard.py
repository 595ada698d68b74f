# SPDX-License-Identifier: Apache-2.0
"""A tiny PyTorch training loop that logs its resource metrics to TensorBoard (needs torch and
tensorboard): each step inside `with collector(tag='batch')`, each epoch inside
`with collector(tag='train')`."""

import os

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.tensorboard import SummaryWriter

from nvitop import CudaDevice, ResourceMetricCollector
from nvitop.callbacks.tensorboard import add_scalar_dict


def main(num_epoch: int = 2, steps: int = 5) -> None:
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    net = nn.Linear(16, 4).to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)

    writer = SummaryWriter()
    collector = ResourceMetricCollector(devices=CudaDevice.all(),  # the visible CUDA devices, CUDA ordinal
                                        root_pids={os.getpid()},   # this process and its children
                                        interval=1.0)              # background sampling interval

    global_step = 0
    for epoch in range(num_epoch):
        with collector(tag='train'):
            for _ in range(steps):
                with collector(tag='batch'):
                    inputs = torch.randn(8, 16, device=device)
                    targets = torch.randn(8, 4, device=device)
                    loss = F.mse_loss(net(inputs), targets)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()

                    global_step += 1
                    add_scalar_dict(writer, 'train', {'loss': loss.item()}, global_step=global_step)
                    add_scalar_dict(writer, 'resources',      # tag='resources/train/batch/...'
                                    collector.collect(),
                                    global_step=global_step)

            add_scalar_dict(writer, 'resources',              # tag='resources/train/...'
                            collector.collect(),
                            global_step=epoch)
    writer.close()


if __name__ == '__main__':
    main()
