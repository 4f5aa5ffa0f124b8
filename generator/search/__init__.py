"""Search: the Chinese tokenizer, related records, the Whoosh index and its queries, Pagefind."""
