"""finsam: ingestion and extraction of Swedish samordningsförbund (Finsam) reports into SQLite."""

__version__ = "0.1.0"
