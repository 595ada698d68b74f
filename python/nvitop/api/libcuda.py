# SPDX-License-Identifier: Apache-2.0
"""The CUDA driver facade (nvitop.api.libcuda of nvitop 1.7): placeholder, filled below."""
