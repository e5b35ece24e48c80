"""llmboom: a linked-data knowledge graph of China's large-language-model race and its publisher."""

__version__ = "0.1.0"
