#define G_LOG_DOMAIN "sextant-kb-schema"

#include "config.h"

#include "knowledge/sextant-kb-schema.h"

/* The knowledge base's tables. The versions are the database's user_version, shared with the
 * other features (see workspace/sextant-schema.c). */
static const SextantMigration migrations[] = {
  /* 8: documents and their chunks (knowledge, issue 16). A document is known by its absolute
   * path; its SHA-256 tells an unchanged file (re-adding it is a no-op) from a changed one
   * (re-indexed). A chunk keeps its page (NULL for formats without pages) and its span in the
   * page's text in characters, so a citation shows the exact passage. The FTS5 index is
   * external-content over kb_chunks.text, kept in step by triggers as messages_fts is; the
   * porter stemmer lets "breach" find "breaches". */
  { 8, "knowledge",
    "CREATE TABLE kb_documents ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  n_pages INTEGER,"
    "  added_at INTEGER NOT NULL,"
    "  indexed_at INTEGER NOT NULL);"
    "CREATE TABLE kb_chunks ("
    "  id INTEGER PRIMARY KEY,"
    "  document_id INTEGER NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL,"
    "  page INTEGER,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX kb_chunks_by_document ON kb_chunks (document_id, ord);"
    "CREATE VIRTUAL TABLE kb_chunks_fts USING fts5 (text, content='kb_chunks', content_rowid='id',"
    "  tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TRIGGER kb_chunks_fts_insert AFTER INSERT ON kb_chunks BEGIN"
    "  INSERT INTO kb_chunks_fts (rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks BEGIN"
    "  INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text); END;" },
  /* 9: a chunk's embedding as little-endian float32[dims] in a BLOB, with the model that made it.
   * No vector extension is packaged for Debian 12, and at a desktop's scale an exact scan of
   * these rows is fast enough. One vector per chunk: changing the model or the dimension
   * replaces them all (re-embedding). */
  { 9, "knowledge",
    "CREATE TABLE kb_vectors ("
    "  chunk_id INTEGER PRIMARY KEY REFERENCES kb_chunks(id) ON DELETE CASCADE,"
    "  model TEXT NOT NULL,"
    "  dims INTEGER NOT NULL,"
    "  vector BLOB NOT NULL);"
    "CREATE INDEX kb_vectors_by_model ON kb_vectors (model, dims);" },
  /* 12: a document's tags ("policy", "research"), which a search can be limited to. A tag is
   * matched without regard to case; re-indexing a changed file keeps its row, so its tags. */
  { 12, "knowledge",
    "CREATE TABLE kb_document_tags ("
    "  document_id INTEGER NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL COLLATE NOCASE,"
    "  PRIMARY KEY (document_id, tag)) WITHOUT ROWID;"
    "CREATE INDEX kb_document_tags_by_tag ON kb_document_tags (tag, document_id);" },
  /* 13: encryption at rest of the chunks (issue 19), and faster indexing. A chunk's text may
   * now be a sealed BLOB (workspace/sextant-store-encryption.c). The index stays external-content
   * over kb_chunks, so a clear knowledge base is stored and searched as before. The knowledge
   * store writes each new row's entry itself, the clear text or, for a sealed row, the keyed
   * hashes of its terms (sextant-kb-terms.c): an insert trigger on an FTS5 table opens a
   * savepoint per row, at which FTS5 flushes its pending terms to a new segment, and indexing
   * ran 2.5 times slower for it. The triggers that remain drop clear rows' entries (a sealed
   * row's are removed by the store, from its opened text); sealing a clear row in place drops
   * its clear entry before its hashed one goes in. FTS5 keeps 2 MB of pending terms instead of
   * 1 MB before it writes a segment: fewer segments to merge, 15 % faster indexing (measured
   * against the default in one run, best of six). */
  { 13, "knowledge",
    "INSERT INTO kb_chunks_fts (kb_chunks_fts, rank) VALUES ('hashsize', 2097152);"
    "DROP TRIGGER kb_chunks_fts_insert;"
    "DROP TRIGGER kb_chunks_fts_delete;"
    "CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks WHEN typeof (old.text) = 'text' BEGIN"
    "  INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text); END;"
    "CREATE TRIGGER kb_chunks_fts_update AFTER UPDATE OF text ON kb_chunks WHEN typeof (old.text) = 'text' BEGIN"
    "  INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text); END;" },
  /* 16: encryption at rest of the documents' paths and titles and of the chunks' vectors (issue
   * 19). With the history key, kb_documents.path and .title and kb_vectors.vector are sealed
   * BLOBs (a sealed vector is longer than dims floats, a clear one exactly as long), and a
   * document is found by its path through path_hash, a keyed hash of the path (NULL in a clear
   * row). A history already wholly sealed is marked incomplete again, so that the next start
   * runs the history's resumable migration over these rows too (store_encryption is migration
   * 7's, in agent/). */
  { 16, "knowledge",
    "ALTER TABLE kb_documents ADD COLUMN path_hash TEXT;"
    "CREATE UNIQUE INDEX kb_documents_by_path_hash ON kb_documents (path_hash);"
    "UPDATE store_encryption SET complete = 0 WHERE EXISTS (SELECT 1 FROM kb_documents);" },
};

/**
 * sextant_kb_schema_get_migrations:
 * @n_migrations: (out): the number of migrations
 *
 * Returns: (array length=n_migrations) (transfer none): the knowledge base's tables' migrations
 */
const SextantMigration *
sextant_kb_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);

  return migrations;
}
