"""Pasted text in, ranked findings out: the reader of errors and descriptions.

    normalize   decode what the paste was wrapped in (JSON escapes, URL encoding, HTML), cut size
    extract     sign-in error codes in every shape they are pasted in
    words       words and phrases, prefixes, typos, negation
    engine      the decision: codes, then messages, then facets and signals; ranking, confidence
"""
