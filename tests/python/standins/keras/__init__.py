"""Stand-in of Keras's callback protocol (tests only; see ../README.md)."""
