"""Code that depends on Textual internals (private names): each module says which and why,
and has a test that fails when a Textual upgrade changes them."""
