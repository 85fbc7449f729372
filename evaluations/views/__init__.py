"""Pages of roadshow scoring: admin setup (``setup``), the live console, big screen and results
(``live``), and the juror's phone pages (``juror``)."""
