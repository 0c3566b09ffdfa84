"""From articles to ranked passages: chunking, embedding, FAISS and BM25 channels, storage."""
