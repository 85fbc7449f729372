"""Exports and official documents of a roadshow (issue 6): award lists, rankings, score sheets,
payout tables as XLSX, CSV and PDF, and award certificates. ``content`` says what a file holds,
``writers`` how each format is written, ``services`` who may export what and when (and the
background jobs of large exports), ``http`` how a file is sent."""
