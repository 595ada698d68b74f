"""Stand-in of PyTorch Lightning's callback protocol (tests only; see ../README.md)."""
