"""Numbered, actionable error messages and the exception hierarchy.

    RashomonError                 base of everything this package raises on purpose
    ├── UsageError                bad arguments or options (CLI exit code 2)
    ├── InputError                one input cannot be read (recorded in `rejected`, batch goes on)
    │   └── FetchError            a URL or feed could not be fetched safely
    ├── StoreError                the database cannot be opened, migrated or written
    └── ModelError                an NLP model or trained artifact is missing or broken

Every message says what was wrong, with which input, and what to do. Messages live
here, as ``Errors.E###`` templates, so they can be documented and tested in one place.
"""

from __future__ import annotations


class Errors:
    E001 = "[E001] {source}: the file is empty. Nothing to analyze; remove it or check the export that produced it."
    E002 = "[E002] {source}: looks like binary data ({detail}), not text or HTML. Convert it to text, HTML or JSONL first."
    E003 = "[E003] {source}: cannot decode the bytes as text ({detail}). Re-save the file as UTF-8."
    E004 = "[E004] {source}: {size:,} bytes is over the {limit:,}-byte limit. Split the file or raise --max-bytes."
    E005 = "[E005] {source}: no article text could be extracted from the HTML ({detail}). Check that the page holds an article, or save its text instead."
    E006 = "[E006] {source}: unreachable ({detail}). Check the address and your network, then run the same command again; stored articles are kept."
    E007 = "[E007] {source}: refused to fetch {host} because it resolves to a private, loopback or link-local address ({address}). Pass --allow-private to fetch local addresses on purpose."
    E008 = "[E008] {source}: the server answered HTTP {status}. Check the address or try again later."
    E009 = "[E009] {source}: content type {content_type!r} is not text, HTML or a feed. Give a page, a feed or a file Rashomon can read."
    E010 = "[E010] {source}: line {line}: {detail}. Each JSONL line must be a JSON object with at least a \"text\" field (see docs/formats.md)."
    E011 = "[E011] {source}: the feed could not be parsed ({detail}). Check that the address points at an RSS or Atom feed."
    E012 = "[E012] {source}: the WARC file is malformed ({detail}). Check the file, or re-export it with a WARC tool."
    E013 = "[E013] {source}: no such file or directory. Check the path."
    E014 = "[E014] {source}: the text is too short to be an article ({detail}). Give the full article text."
    E015 = "[E015] {source}: too many redirects (over {limit}). Check the address."
    E016 = "[E016] {source}: unsupported URL scheme {scheme!r}. Only http and https addresses can be fetched."
    E017 = "[E017] {source}: {detail} is not a valid http(s) URL. Check the address."
    E018 = "[E018] {source}: feed item {item} ({title!r}) could not be read: {detail}, and the item's own text has only {chars} characters (at least {minimum} needed). Fetch the page later, or save its text and read that."
    E019 = "[E019] {source}: no articles inside ({detail}). Check that the file holds what its extension says."
    E020 = "[E020] {source}: cannot read the file ({detail}). Check its permissions."

    E101 = "[E101] Cannot open the database {url}: {detail}. Check the path or URL; a SQLite path is created if its folder exists."
    E102 = "[E102] The database {url} has schema version {found}, newer than this Rashomon ({expected}). Upgrade Rashomon."
    E103 = "[E103] The database {url} is locked by another writer and stayed locked for {seconds} s. Wait for the other run to finish, then run again."

    E401 = "[E401] {source}: the article is {chars:,} characters, over the {limit:,}-character analysis limit. It is stored but not analyzed; split it into separate articles, or raise the limit (RASHOMON_MAX_ARTICLE_CHARS) and run `rashomon analyze` again."
    E402 = "[E402] {source}: analysis failed ({detail}). The article is stored and the rest of the batch went on; it is not retried until the pipeline changes. Report the error with the article if it persists."
    E403 = "[E403] No Dask scheduler answered at {address} within {seconds:g} s ({detail}). Start the scheduler (`dask scheduler`) or omit --scheduler to use a local cluster."

    E501 = "[E501] {where}: {detail}. See docs/watch.md for the watch-list format."
    E502 = "[E502] Nothing to watch: give feed or page URLs, or --list FILE (TOML or YAML; see docs/watch.md)."

    E211 = "[E211] {path}: cannot read the actor registry ({detail}). Check the path, or omit it to use the bundled registry."
    E212 = "[E212] {path}: actor #{index} ({actor}) is invalid: {detail}. Fix the entry (see docs/actors.md, 'Adding an actor')."

    E201 = "[E201] The spaCy pipeline {name!r} is not installed. Run `make demo` (installs the pinned en_core_web_sm weights) or set RASHOMON_SPACY_MODEL to an installed pipeline."
    E202 = "[E202] The trained model {path} is missing or unreadable ({detail}). Rebuild it with `{command}`."
    E203 = "[E203] The accurate technique model (--framing accurate) needs onnxruntime and tokenizers ({detail}). Install them (`pip install onnxruntime tokenizers`, both in the project's dependencies) or use --framing fast."

    E301 = "[E301] Unknown export {what!r}. Choose one of: {choices}."
    E302 = "[E302] Unknown format {fmt!r}. Choose one of: {choices}."
    E303 = "[E303] {path}: not found. Evaluation commands take the dataset folder as an argument, e.g. ../shared/datasets/{example}."
    E304 = "[E304] Parquet output needs --out FILE (it is a binary format)."
    E305 = "[E305] No inputs given. Pass files, folders, URLs or '-' for standard input."
    E309 = "[E309] Unknown framing mode {mode!r}. Choose fast (TF-IDF + LR, the default) or accurate (fine-tuned MiniLM, slower)."
    E310 = "[E310] The technique model {algorithm} does not list the articles it was trained on, so it cannot be scored on the held-out split. Retrain it with `python -m rashomon.framing.train_encoder` (which records them)."
    E311 = "[E311] The technique model was trained or tuned on {n} of the held-out PTC-dev articles: its document-disjoint figure would be meaningless. Retrain it with `python -m rashomon.framing.train_encoder --ptc PATH` (which holds them out)."
    E320 = "[E320] --outlet-from-dir {path}: not a folder. Give the folder that holds one sub-folder per outlet."
    E321 = "[E321] {source!r} is neither an existing file or folder, nor an http(s) URL, nor '-'. Check the path (to analyze text itself, save it to a file or pipe it to '-')."


class RashomonError(Exception):
    """Base class of every error Rashomon raises on purpose."""


class UsageError(RashomonError):
    """Bad arguments or options."""


class InputError(RashomonError):
    """One input cannot be read; it is rejected with a reason and the batch goes on."""

    def __init__(self, source: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.source = source
        self.reason = reason
        self.message = message


class FetchError(InputError):
    """A URL or feed could not be fetched safely."""


class StoreError(RashomonError):
    """The database cannot be opened, migrated or written."""


class ModelError(RashomonError):
    """An NLP model or trained artifact is missing or broken."""
