"""What runs on a student's machine: the self-check and the notebooks' check cells."""
