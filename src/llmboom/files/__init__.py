"""Files and folders replaced whole, the one lock, and the data version that names the project's
inputs.
"""
