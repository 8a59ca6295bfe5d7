#define G_LOG_DOMAIN "sextant-agent-schema"

#include "config.h"

#include "agent/sextant-agent-schema.h"

/* The assistant's tables: conversations and their messages with a full-text index, role prompts
 * and the invocation log. The versions are the database's user_version, shared with the other
 * features (see workspace/sextant-schema.c). */
static const SextantMigration migrations[] = {
  /* 3: chat history, role prompts and Bedrock invocation records (agent, issue 6). Times are unix
   * microseconds so that messages of one second keep their order. A deleted conversation is
   * only marked (deleted_at) until it is purged, so that Undo can bring it back. The FTS5 index
   * is external-content over messages.text and kept in step by triggers. */
  { 3, "agent",
    "CREATE TABLE conversations ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  model TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  deleted_at INTEGER);"
    "CREATE INDEX conversations_by_update ON conversations (updated_at);"
    "CREATE TABLE messages ("
    "  id INTEGER PRIMARY KEY,"
    "  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),"
    "  content TEXT NOT NULL,"
    "  text TEXT NOT NULL DEFAULT '',"
    "  state TEXT NOT NULL DEFAULT 'complete' CHECK (state IN ('complete', 'interrupted', 'failed')),"
    "  input_tokens INTEGER NOT NULL DEFAULT 0,"
    "  output_tokens INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX messages_by_conversation ON messages (conversation_id, id);"
    "CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content='messages', content_rowid='id',"
    "  tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
    "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
    "  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text); END;"
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN"
    "  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TABLE agent_roles ("
    "  id TEXT PRIMARY KEY,"
    "  prompt TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE agent_invocations ("
    "  id INTEGER PRIMARY KEY,"
    "  conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,"
    "  started_at INTEGER NOT NULL,"
    "  model TEXT,"
    "  role TEXT,"
    "  ttft_ms INTEGER,"
    "  latency_ms INTEGER NOT NULL,"
    "  input_tokens INTEGER NOT NULL DEFAULT 0,"
    "  output_tokens INTEGER NOT NULL DEFAULT 0,"
    "  tool_calls INTEGER NOT NULL DEFAULT 0,"
    "  retries INTEGER NOT NULL DEFAULT 0,"
    "  outcome TEXT NOT NULL,"
    "  error_type TEXT);"
    "CREATE INDEX agent_invocations_by_time ON agent_invocations (started_at);" },
  /* 7: encryption at rest (issue 19). Messages' text may now be a sealed BLOB (see
   * workspace/sextant-store-encryption.c), which an external-content index cannot read: the
   * index keeps its own copy of what it indexes, the text itself for a clear row (the trigger)
   * and the keyed hashes of its words for a sealed one (written by the conversation store), so a
   * clear store searches as before and a sealed one holds no word. store_encryption records
   * which key sealed the file (a check value, not the key) and whether every row is sealed yet,
   * so that an interrupted migration resumes. A pinned conversation never expires (retention). */
  { 7, "agent",
    "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE store_encryption ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  key_check TEXT NOT NULL,"
    "  complete INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL);"
    "DROP TRIGGER messages_fts_insert;"
    "DROP TRIGGER messages_fts_delete;"
    "DROP TRIGGER messages_fts_update;"
    "DROP TABLE messages_fts;"
    "CREATE VIRTUAL TABLE messages_fts USING fts5 (text, tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages;"
    "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN typeof (new.text) = 'text' BEGIN"
    "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
    "  DELETE FROM messages_fts WHERE rowid = old.id; END;"
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN"
    "  DELETE FROM messages_fts WHERE rowid = old.id;"
    "  INSERT INTO messages_fts (rowid, text) SELECT new.id, new.text WHERE typeof (new.text) = 'text'; END;" },
  /* 15: which region answered (region fallback, issue 18) and the prompt-cache tokens, which are
   * priced apart from other input (a cache read costs a tenth of an input token, a write a
   * quarter more). The index serves the spending queries by month and conversation. */
  { 15, "agent",
    "ALTER TABLE agent_invocations ADD COLUMN region TEXT;"
    "ALTER TABLE agent_invocations ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE agent_invocations ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX agent_invocations_by_conversation ON agent_invocations (conversation_id, started_at);" },
};

/**
 * sextant_agent_schema_get_migrations:
 * @n_migrations: (out): the number of migrations
 *
 * Returns: (array length=n_migrations) (transfer none): the assistant's tables' migrations
 */
const SextantMigration *
sextant_agent_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);

  return migrations;
}
