"""One exception class per way a document can fail, each with the exit code the CLI reports.

Parsers and the pipeline raise these; the CLI catches them once and prints one line per file.
Anything else that escapes a worker is wrapped as InternalError so a batch never dies on one file.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    failed_documents = 1  # the batch ran, but at least one document failed
    bad_args = 2
    missing_dependency = 3
    findings_errors = 1  # `finsam check`: errors were found
    page_not_rendered = 1  # the browser check of `finsam serve`: a page did not render


class FinsamError(Exception):
    """Base class: a document could not be ingested. str(err) is the one-line reason."""

    exit_code = ExitCode.failed_documents
    kind = "error"


class InputFileError(FinsamError):
    """The file cannot be read as any supported format (empty, junk, truncated, wrong type)."""

    kind = "unreadable"


class EmptyFileError(InputFileError):
    kind = "empty"


class UnsupportedFileError(InputFileError):
    kind = "unsupported"


class CorruptPdfError(InputFileError):
    kind = "corrupt_pdf"


class EncryptedPdfError(InputFileError):
    kind = "encrypted_pdf"


class NoTextError(InputFileError):
    """Nothing readable came out, not even by OCR (a blank page, a photo)."""

    kind = "no_text"


class TooLargeError(InputFileError):
    kind = "too_large"


class NotAReportError(FinsamError):
    """Readable, but not a samordningsförbund report."""

    kind = "not_a_report"


class OcrFailedError(FinsamError):
    """Tesseract stopped without reading a page: killed, out of memory, or an error of its own."""

    kind = "ocr_failed"


class MissingDependencyError(FinsamError):
    """An external program (tesseract, its swe model) is missing, or the Python packages of an optional extra
    (datasette, for `finsam serve`)."""

    exit_code = ExitCode.missing_dependency
    kind = "missing_dependency"


class StoreError(FinsamError):
    """The store (--db) cannot be used: not a finsam store, from a newer finsam, a folder, unwritable…

    Not a document's failure: the command stops before reading or writing anything."""

    exit_code = ExitCode.bad_args
    kind = "bad_store"


class OutdatedStoreError(StoreError):
    """A store from an older finsam opened read-only: it cannot be upgraded where it cannot be written.

    `version` is the store's schema version, `target` this finsam's."""

    kind = "outdated_store"

    def __init__(self, message: str, version: int, target: int):
        super().__init__(message)
        self.version = version
        self.target = target


class ServeError(FinsamError):
    """`finsam serve` cannot listen where it was asked to (an address in use, a host that is not this
    machine's). Nothing is served."""

    exit_code = ExitCode.bad_args
    kind = "bad_address"


class ExportError(FinsamError):
    """An export cannot be written as asked: no --out, a file where a folder is needed (or the other way
    round), a folder that does not exist or may not be written. Nothing is written."""

    exit_code = ExitCode.bad_args
    kind = "bad_destination"


class AliasFileError(FinsamError):
    """An alias file (--aliases) cannot be used: unreadable, not TOML or CSV, or contradicting itself.

    Not a document's failure: the command stops before writing anything."""

    exit_code = ExitCode.bad_args
    kind = "bad_aliases"


class QueryError(FinsamError):
    """A question put to the store (`finsam diff`, `finsam series`) names what it cannot answer: a
    federation or member that is unknown or could be several, a canonical key of no vocabulary.

    Not a document's failure: the command stops before printing anything."""

    exit_code = ExitCode.bad_args
    kind = "bad_query"


class PageNotRenderedError(FinsamError):
    """The browser check of `finsam serve` (normalized.web.screenshot) found a page that did not render: the
    server did not start or answered with an error, the page's DOM lacks what it is made of (the findings
    table, the chart's drawing), or its screenshot is blank."""

    exit_code = ExitCode.page_not_rendered
    kind = "not_rendered"


class InternalError(FinsamError):
    """A bug in finsam met while processing one document; the batch goes on."""

    kind = "internal"
