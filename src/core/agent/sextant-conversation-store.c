#define G_LOG_DOMAIN "sextant-conversation-store"
#define _GNU_SOURCE /* syscall (SYS_gettid) */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "agent/sextant-agent-error.h"
#include "agent/sextant-agent-roles.h"
#include "agent/sextant-conversation-store.h"

/* Chat history in the app's SQLite file (tables of migration 3): conversations, their messages
 * as Converse content blocks, an FTS5 index of the text, and edited role prompts. Every call is
 * synchronous and short: a message append is one INSERT plus an UPDATE in a transaction, and
 * loading 10,000 messages reads one indexed range. */

struct _SextantConversationStore
{
  GObject       parent_instance;
  SextantStore *store;

  /* Appends done in a thread (a long answer: its FTS index takes tens of milliseconds) go
   * through a connection of their own, in one thread, one at a time and in order. */
  GThreadPool  *writer_thread;
  SextantStore *writer;
};

G_DEFINE_FINAL_TYPE (SextantConversationStore, sextant_conversation_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (SextantConversationInfo, sextant_conversation_info,
                     sextant_conversation_info_copy, sextant_conversation_info_free)
G_DEFINE_BOXED_TYPE (SextantStoredMessage, sextant_stored_message,
                     sextant_stored_message_copy, sextant_stored_message_free)

static const char * const state_names[] = { "complete", "interrupted", "failed" };

const char *
sextant_message_state_to_string (SextantMessageState state)
{
  g_return_val_if_fail (state <= SEXTANT_MESSAGE_FAILED, NULL);

  return state_names[state];
}

static SextantMessageState
state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      return i;

  return SEXTANT_MESSAGE_FAILED;
}

SextantConversationInfo *
sextant_conversation_info_copy (const SextantConversationInfo *info)
{
  SextantConversationInfo *copy = g_memdup2 (info, sizeof *info);

  copy->title = g_strdup (info->title);
  copy->role = g_strdup (info->role);
  copy->model = g_strdup (info->model);

  return copy;
}

void
sextant_conversation_info_free (SextantConversationInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->title);
  g_free (info->role);
  g_free (info->model);
  g_free (info);
}

SextantStoredMessage *
sextant_stored_message_copy (const SextantStoredMessage *message)
{
  SextantStoredMessage *copy = g_memdup2 (message, sizeof *message);

  copy->role = g_strdup (message->role);
  copy->content = message->content != NULL ? json_node_copy (message->content) : NULL;
  copy->text = g_strdup (message->text);

  return copy;
}

void
sextant_stored_message_free (SextantStoredMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->role);
  g_clear_pointer (&message->content, json_node_unref);
  g_free (message->text);
  g_free (message);
}

/**
 * sextant_stored_message_to_converse:
 *
 * Returns: (transfer full): the message as Converse blocks
 */
SextantConverseMessage *
sextant_stored_message_to_converse (const SextantStoredMessage *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, message->role);
  json_builder_set_member_name (b, "content");
  json_builder_add_value (b, json_node_copy (message->content));
  json_builder_end_object (b);
  node = json_builder_get_root (b);

  return sextant_converse_message_new_from_json (node, NULL);
}

void
sextant_search_hit_free (SextantSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

/* Text is repaired at the door: a title or a message with bytes that are not UTF-8 (a terminal
 * in another encoding, a pasted file) would make every JSON export of the conversation invalid
 * and Bedrock reject every later request of it. */
static void
make_valid_in_place (char **text)
{
  if (*text != NULL && !g_utf8_validate (*text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (*text, -1);

      g_free (*text);
      *text = valid;
    }
}

static void
sextant_conversation_store_finalize (GObject *object)
{
  SextantConversationStore *self = (SextantConversationStore *)object;

  /* Every pending append holds the store: none is left, though this may run in the writer's
   * thread as its last append lets go of the store, where waiting for it would never end. */
  if (self->writer_thread != NULL)
    g_thread_pool_free (self->writer_thread, FALSE, FALSE);
  g_clear_object (&self->store);
  g_clear_object (&self->writer);

  G_OBJECT_CLASS (sextant_conversation_store_parent_class)->finalize (object);
}

static void
sextant_conversation_store_class_init (SextantConversationStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_conversation_store_finalize;

  /**
   * SextantConversationStore::changed:
   * @self: the store
   * @conversation_id: the conversation that was created, renamed, deleted, restored or got a
   *   message; 0 when several changed (a purge)
   *
   * Emitted on the thread that made the change, so that a conversation list can refresh.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
emit_changed (SextantConversationStore *self,
              gint64                    id)
{
  g_signal_emit (self, signals[CHANGED], 0, id);
}

/**
 * sextant_conversation_store_emit_changed:
 * @self: a store
 * @conversation_id: the conversation that changed, 0 for several
 *
 * Announces a change made through another connection to the same database (retention in a
 * worker thread), so that conversation lists refresh.
 */
void
sextant_conversation_store_emit_changed (SextantConversationStore *self,
                                         gint64                    conversation_id)
{
  g_return_if_fail (SEXTANT_IS_CONVERSATION_STORE (self));

  emit_changed (self, conversation_id);
}

static void
sextant_conversation_store_init (SextantConversationStore *self)
{
}

/**
 * sextant_conversation_store_new:
 * @store: an open store (schema 3 or later)
 *
 * Returns: (transfer full): the chat history over @store
 */
SextantConversationStore *
sextant_conversation_store_new (SextantStore *store)
{
  SextantConversationStore *self;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);

  self = g_object_new (SEXTANT_TYPE_CONVERSATION_STORE, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * sextant_conversation_store_get_store:
 *
 * Returns: (transfer none): the database
 */
SextantStore *
sextant_conversation_store_get_store (SextantConversationStore *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);

  return self->store;
}

/* The search index's entry of a sealed message: the keyed hashes of its words. */
static gboolean
index_sealed_text (SextantStore  *store,
                   gint64         message_id,
                   const char    *text,
                   GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hashes = NULL;

  if (sextant_store_get_key (store) == NULL || text == NULL || text[0] == '\0')
    return TRUE;
  hashes = sextant_store_key_hash_text (sextant_store_get_key (store), text);
  stmt = sextant_store_prepare (store, "INSERT INTO messages_fts (rowid, text) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_text (stmt, 2, hashes, -1, SQLITE_STATIC);

  return sextant_store_step_done (store, stmt, error);
}

/* A conversation takes one of the roles; the desks' prompts are stored and edited with theirs,
 * but a desk is asked only by the portfolio manager's assistant, never a conversation's role. */
static gboolean
check_conversation_role (const char  *role,
                         GError     **error)
{
  if (sextant_agent_role_is_known (role) && !sextant_agent_role_is_desk (role))
    return TRUE;
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
               "Unknown role “%s”; the roles are portfolio-manager, risk-officer and analyst",
               role != NULL ? role : "");

  return FALSE;
}

static gboolean
check_role (const char  *role,
            GError     **error)
{
  if (sextant_agent_role_is_known (role))
    return TRUE;
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
               "Unknown role “%s”; the roles are portfolio-manager, risk-officer, analyst and the desks "
               "fx-desk, rates-desk and credit-desk", role != NULL ? role : "");

  return FALSE;
}

/**
 * sextant_conversation_store_create:
 * @self: a store
 * @title: the title (“New conversation” until the first question names it)
 * @role: a role id
 * @model: (nullable): the model id
 * @error: return location
 *
 * Returns: the new conversation's id, or 0
 */
gint64
sextant_conversation_store_create (SextantConversationStore  *self,
                                   const char                *title,
                                   const char                *role,
                                   const char                *model,
                                   GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *valid_title = g_strdup (title != NULL ? title : "New conversation");
  gint64 now = g_get_real_time ();
  gint64 id;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), 0);

  make_valid_in_place (&valid_title);
  if (!check_conversation_role (role, error) || !sextant_store_check_writable (self->store, error) ||
      !sextant_store_begin (self->store, error))
    return 0;
  /* A sealed title is bound to its row id, so the id is chosen first (as SQLite would: one past
   * the largest) inside the transaction. */
  if ((id = sextant_store_next_row_id (self->store, "conversations", error)) == 0 ||
      (stmt = sextant_store_prepare (self->store, "INSERT INTO conversations (id, title, role, model, "
                                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", error)) == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  sextant_store_bind_text_sealed (self->store, stmt, 2, "conversations.title", id, valid_title);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!sextant_store_step_done (self->store, stmt, error) || !sextant_store_commit (self->store, error))
    goto failed;
  emit_changed (self, id);

  return id;

failed:
  sextant_store_rollback (self->store);
  return 0;
}

#define INFO_COLUMNS \
  "c.id, c.title, c.role, c.model, c.created_at, c.updated_at, " \
  "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.text != ''), " \
  "(SELECT total(input_tokens) FROM messages m WHERE m.conversation_id = c.id), " \
  "(SELECT total(output_tokens) FROM messages m WHERE m.conversation_id = c.id), c.pinned, " \
  "(SELECT total(cache_read_tokens) FROM agent_invocations i WHERE i.conversation_id = c.id), " \
  "(SELECT total(cache_write_tokens) FROM agent_invocations i WHERE i.conversation_id = c.id)"

/* What shows for a sealed text whose key is not at hand. */
static char *
dup_sealed_text (SextantStore *store,
                 sqlite3_stmt *stmt,
                 int           column,
                 const char   *where,
                 gint64        row_id,
                 const char   *placeholder)
{
  char *text = sextant_store_column_dup_text (store, stmt, column, where, row_id, NULL);

  return text != NULL ? text : g_strdup (placeholder);
}

static SextantConversationInfo *
info_from_row (SextantStore *store,
               sqlite3_stmt *stmt)
{
  SextantConversationInfo *info = g_new0 (SextantConversationInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->title = dup_sealed_text (store, stmt, 1, "conversations.title", info->id,
                                 _("Encrypted conversation (its key is not available)"));
  info->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  info->model = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  info->created_at = sqlite3_column_int64 (stmt, 4);
  info->updated_at = sqlite3_column_int64 (stmt, 5);
  info->n_messages = sqlite3_column_int64 (stmt, 6);
  info->input_tokens = sqlite3_column_int64 (stmt, 7);
  info->output_tokens = sqlite3_column_int64 (stmt, 8);
  info->pinned = sqlite3_column_int (stmt, 9) != 0;
  info->cache_read_tokens = sqlite3_column_int64 (stmt, 10);
  info->cache_write_tokens = sqlite3_column_int64 (stmt, 11);

  return info;
}

static gboolean
not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
               "No %s with id %" G_GINT64_FORMAT, what, id);

  return FALSE;
}

/**
 * sextant_conversation_store_get:
 * @self: a store
 * @id: a conversation id
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND for an unknown or deleted conversation
 *
 * Returns: (transfer full): the conversation
 */
SextantConversationInfo *
sextant_conversation_store_get (SextantConversationStore  *self,
                                gint64                     id,
                                GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store, "SELECT " INFO_COLUMNS " FROM conversations c "
                                "WHERE c.id = ? AND c.deleted_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      not_found (error, "conversation", id);
      return NULL;
    }

  return info_from_row (self->store, stmt);
}

/**
 * sextant_conversation_store_list:
 *
 * Returns: (transfer full) (element-type SextantConversationInfo): the conversations that are
 *   not deleted, most recently updated first
 */
GPtrArray *
sextant_conversation_store_list (SextantConversationStore  *self,
                                 GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store, "SELECT " INFO_COLUMNS " FROM conversations c "
                                "WHERE c.deleted_at IS NULL ORDER BY c.updated_at DESC, c.id DESC", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_conversation_info_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, info_from_row (self->store, stmt));

  return list;
}

/* Runs an UPDATE of one conversation on @store (?1 its id, ?2 now, ?3 @text); NOT_FOUND when no
 * row matched. */
static gboolean
update_conversation_on (SextantStore  *store,
                        const char    *sql,
                        gint64         id,
                        const char    *text,
                        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!sextant_store_check_writable (store, error) ||
      (stmt = sextant_store_prepare (store, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (text != NULL && strstr (sql, "title = ?3") != NULL)
    sextant_store_bind_text_sealed (store, stmt, 3, "conversations.title", id, text);
  else if (text != NULL)
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  if (!sextant_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (store)) == 0)
    return not_found (error, "conversation", id);

  return TRUE;
}

/* update_conversation_on() the store's connection, announced. */
static gboolean
update_conversation (SextantConversationStore  *self,
                     const char                *sql,
                     gint64                     id,
                     const char                *text,
                     GError                   **error)
{
  if (!update_conversation_on (self->store, sql, id, text, error))
    return FALSE;
  emit_changed (self, id);

  return TRUE;
}

/**
 * sextant_conversation_store_rename:
 * @self: a store
 * @id: a conversation that is not deleted
 * @title: the new title (trimmed; it may not be empty)
 * @error: %SEXTANT_AGENT_ERROR_INVALID_INPUT or %SEXTANT_AGENT_ERROR_NOT_FOUND
 */
gboolean
sextant_conversation_store_rename (SextantConversationStore  *self,
                                   gint64                     id,
                                   const char                *title,
                                   GError                   **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (title != NULL ? title : ""));

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  make_valid_in_place (&clean);
  if (clean[0] == '\0')
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   "A conversation title cannot be empty");
      return FALSE;
    }

  return update_conversation (self, "UPDATE conversations SET title = ?3, updated_at = ?2 "
                              "WHERE id = ?1 AND deleted_at IS NULL", id, clean, error);
}

/**
 * sextant_conversation_store_set_role:
 * @self: a store
 * @id: a conversation
 * @role: a role id; later turns use its system prompt
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND for an unknown role or conversation
 */
gboolean
sextant_conversation_store_set_role (SextantConversationStore  *self,
                                     gint64                     id,
                                     const char                *role,
                                     GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  return check_conversation_role (role, error) &&
         update_conversation (self, "UPDATE conversations SET role = ?3, updated_at = ?2 "
                              "WHERE id = ?1 AND deleted_at IS NULL", id, role, error);
}

/**
 * sextant_conversation_store_set_model:
 * @self: a store
 * @id: a conversation
 * @model: the model id the conversation uses from now on
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND
 */
gboolean
sextant_conversation_store_set_model (SextantConversationStore  *self,
                                      gint64                     id,
                                      const char                *model,
                                      GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (model != NULL, FALSE);

  return update_conversation (self, "UPDATE conversations SET model = ?3 "
                              "WHERE id = ?1 AND deleted_at IS NULL AND ?2 IS NOT NULL", id, model, error);
}

/**
 * sextant_conversation_store_delete:
 *
 * Hides the conversation; sextant_conversation_store_undelete() brings it back until
 * sextant_conversation_store_purge_deleted() removes it for good.
 */
gboolean
sextant_conversation_store_delete (SextantConversationStore  *self,
                                   gint64                     id,
                                   GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  return update_conversation (self, "UPDATE conversations SET deleted_at = ?2 "
                              "WHERE id = ?1 AND deleted_at IS NULL", id, NULL, error);
}

/**
 * sextant_conversation_store_set_pinned:
 * @self: a store
 * @id: a conversation that is not deleted
 * @pinned: whether it is kept whatever the retention period
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND
 */
gboolean
sextant_conversation_store_set_pinned (SextantConversationStore  *self,
                                       gint64                     id,
                                       gboolean                   pinned,
                                       GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  return update_conversation (self, pinned ? "UPDATE conversations SET pinned = 1 WHERE id = ?1 AND deleted_at IS NULL "
                                             "AND ?2 IS NOT NULL"
                                           : "UPDATE conversations SET pinned = 0 WHERE id = ?1 AND deleted_at IS NULL "
                                             "AND ?2 IS NOT NULL", id, NULL, error);
}

/* Runs @sql, a DELETE of conversations with one time bound as ?1, and says how many went
 * (their messages and index entries follow through the schema's cascade and triggers). */
static gint64
delete_conversations (SextantConversationStore  *self,
                      const char                *sql,
                      gint64                     bound,
                      GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 n;

  if (!sextant_store_check_writable (self->store, error))
    return -1;
  if ((stmt = sextant_store_prepare (self->store, sql, error)) == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, bound);
  if (!sextant_store_step_done (self->store, stmt, error))
    return -1;
  n = sqlite3_changes (sextant_store_get_db (self->store));
  if (n > 0)
    emit_changed (self, 0);

  return n;
}

/**
 * sextant_conversation_store_expire:
 * @self: a store
 * @updated_before: unix µs; conversations last changed before it go, unless pinned
 * @error: return location
 *
 * Retention: removes old conversations for good, with their messages and their search index
 * entries (the messages' delete trigger), deleted or not. Pinned ones are kept.
 *
 * Returns: how many conversations were removed, or -1
 */
gint64
sextant_conversation_store_expire (SextantConversationStore  *self,
                                   gint64                     updated_before,
                                   GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), -1);

  return delete_conversations (self, "DELETE FROM conversations WHERE pinned = 0 AND updated_at < ?1",
                               updated_before, error);
}

/**
 * sextant_conversation_store_undelete:
 * @self: a store
 * @id: a deleted conversation that has not been purged
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND
 *
 * Undo of sextant_conversation_store_delete().
 */
gboolean
sextant_conversation_store_undelete (SextantConversationStore  *self,
                                     gint64                     id,
                                     GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  return update_conversation (self, "UPDATE conversations SET deleted_at = NULL "
                              "WHERE id = ?1 AND deleted_at IS NOT NULL AND ?2 IS NOT NULL", id, NULL, error);
}

/**
 * sextant_conversation_store_purge_deleted:
 * @self: a store
 * @deleted_before: purge conversations deleted before this time (unix µs); 0 for all of them
 * @error: return location
 *
 * Returns: how many conversations were removed, or -1
 */
gint64
sextant_conversation_store_purge_deleted (SextantConversationStore  *self,
                                          gint64                     deleted_before,
                                          GError                   **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), -1);

  return delete_conversations (self, "DELETE FROM conversations WHERE deleted_at IS NOT NULL "
                               "AND (?1 = 0 OR deleted_at < ?1)", deleted_before, error);
}

static gboolean
insert_message (SextantStore              *store,
                gint64                     conversation_id,
                SextantConverseMessage    *message,
                SextantMessageState        state,
                gint64                     input_tokens,
                gint64                     output_tokens,
                GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) json = sextant_converse_message_to_json (message);
  g_autofree char *content = json_to_string (json_object_get_member (json_node_get_object (json), "content"), FALSE);
  g_autofree char *text = sextant_converse_message_dup_text (message);
  gint64 id;

  make_valid_in_place (&content);
  make_valid_in_place (&text);
  /* Sealed values are bound to their row id: chosen first, in the caller's transaction. */
  if ((id = sextant_store_next_row_id (store, "messages", error)) == 0)
    return FALSE;
  stmt = sextant_store_prepare (store, "INSERT INTO messages (id, conversation_id, role, content, text, "
                                "state, input_tokens, output_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, conversation_id);
  sqlite3_bind_text (stmt, 3, sextant_converse_message_get_role (message), -1, SQLITE_TRANSIENT);
  sextant_store_bind_text_sealed (store, stmt, 4, "messages.content", id, content);
  sextant_store_bind_text_sealed (store, stmt, 5, "messages.text", id, text);
  sqlite3_bind_text (stmt, 6, state_names[state], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, input_tokens);
  sqlite3_bind_int64 (stmt, 8, output_tokens);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());

  return sextant_store_step_done (store, stmt, error) && index_sealed_text (store, id, text, error);
}

/* An append's transaction on @store (the store's own connection, or the writer's in a thread);
 * signals nothing. */
static gint64
append_on (SextantStore              *store,
           gint64                     conversation_id,
           SextantConverseMessage    *message,
           SextantMessageState        state,
           gint64                     input_tokens,
           gint64                     output_tokens,
           GError                   **error)
{
  gint64 id;

  if (!sextant_store_check_writable (store, error) || !sextant_store_begin (store, error))
    return 0;
  if (!insert_message (store, conversation_id, message, state, input_tokens, output_tokens, error))
    goto failed;
  id = sqlite3_last_insert_rowid (sextant_store_get_db (store));
  if (!update_conversation_on (store, "UPDATE conversations SET updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                               conversation_id, NULL, error) ||
      !sextant_store_commit (store, error))
    goto failed;

  return id;

failed:
  sextant_store_rollback (store);
  return 0;
}

/**
 * sextant_conversation_store_append:
 * @self: a store
 * @conversation_id: the conversation
 * @message: a `user` or `assistant` message
 * @state: complete, interrupted or failed
 * @input_tokens: input tokens of the request that produced it (0 for user messages)
 * @output_tokens: output tokens of it
 * @error: return location
 *
 * Returns: the message id, or 0
 */
gint64
sextant_conversation_store_append (SextantConversationStore  *self,
                                   gint64                     conversation_id,
                                   SextantConverseMessage    *message,
                                   SextantMessageState        state,
                                   gint64                     input_tokens,
                                   gint64                     output_tokens,
                                   GError                   **error)
{
  gint64 id;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), 0);
  g_return_val_if_fail (message != NULL, 0);
  g_return_val_if_fail (state <= SEXTANT_MESSAGE_FAILED, 0);

  id = append_on (self->store, conversation_id, message, state, input_tokens, output_tokens, error);
  if (id == 0)
    return 0;
  emit_changed (self, conversation_id);

  return id;
}

typedef struct
{
  gint64                  conversation_id;
  SextantConverseMessage *message;
  SextantMessageState     state;
  gint64                  input_tokens;
  gint64                  output_tokens;
} Append;

static void
append_free (gpointer data)
{
  Append *append = data;

  sextant_converse_message_unref (append->message);
  g_free (append);
}

/* Indexing a long answer takes the writer some 20 ms of CPU just as the window lays the answer
 * out: on two cores shared with the display server, a frame then waited for it (an 11–17 ms
 * frame as the stream ended, bench-chat-stream). The writer is never waited for by anyone, so
 * it yields to them. Its thread is its own (an exclusive pool): a shared pool thread would keep
 * the lower priority for other work, and an unprivileged thread cannot raise it back. */
static void
lower_writer_priority (void)
{
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower the writer thread's priority: %s", g_strerror (errno));
#endif
}

/* The writer's thread: one append after the other, in the order they were pushed. */
static void
append_in_thread (gpointer data,
                  gpointer user_data)
{
  GTask *work = data;
  SextantConversationStore *self = g_task_get_source_object (work);
  Append *append = g_task_get_task_data (work);
  GError *error = NULL;
  gint64 id = 0;

  if (self->writer == NULL)
    {
      lower_writer_priority ();
      self->writer = sextant_store_open_connection (self->store, &error);
    }
  if (self->writer != NULL)
    id = append_on (self->writer, append->conversation_id, append->message, append->state,
                    append->input_tokens, append->output_tokens, &error);
  if (id == 0)
    g_task_return_error (work, error);
  else
    g_task_return_int (work, id);
  g_object_unref (work);
}

static void
appended_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Append *append = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gint64 id = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Committed: the main connection sees the row, listeners may read it. */
  emit_changed (SEXTANT_CONVERSATION_STORE (object), append->conversation_id);
  g_task_return_int (task, id);
}

/**
 * sextant_conversation_store_append_async:
 * @self: a store
 * @conversation_id: the conversation
 * @message: a `user` or `assistant` message, not changed until the append is done
 * @state: complete, interrupted or failed
 * @input_tokens: input tokens of the request that produced it
 * @output_tokens: output tokens of it
 * @callback: called when the message is stored
 * @user_data: data for @callback
 *
 * sextant_conversation_store_append() in a thread, for a message long enough that indexing it
 * would stall the main loop (a 1 MB answer: some 20 ms). Appends made this way are stored one
 * at a time in the order they were asked for. A database in memory has a single connection:
 * there the append is done at once and @callback called from the main loop.
 */
void
sextant_conversation_store_append_async (SextantConversationStore *self,
                                         gint64                    conversation_id,
                                         SextantConverseMessage   *message,
                                         SextantMessageState       state,
                                         gint64                    input_tokens,
                                         gint64                    output_tokens,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *work;
  Append *append;

  g_return_if_fail (SEXTANT_IS_CONVERSATION_STORE (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (state <= SEXTANT_MESSAGE_FAILED);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sextant_conversation_store_append_async);
  if (!sextant_store_is_file (self->store))
    {
      GError *error = NULL;
      gint64 id = sextant_conversation_store_append (self, conversation_id, message, state, input_tokens,
                                                     output_tokens, &error);

      if (id == 0)
        g_task_return_error (task, error);
      else
        g_task_return_int (task, id);
      return;
    }
  append = g_new0 (Append, 1);
  append->conversation_id = conversation_id;
  append->message = sextant_converse_message_ref (message);
  append->state = state;
  append->input_tokens = input_tokens;
  append->output_tokens = output_tokens;
  work = g_task_new (self, NULL, appended_cb, g_steal_pointer (&task));
  g_task_set_task_data (work, append, append_free);
  if (self->writer_thread == NULL)
    self->writer_thread = g_thread_pool_new (append_in_thread, NULL, 1, TRUE, NULL);
  g_thread_pool_push (self->writer_thread, work, NULL);
}

/**
 * sextant_conversation_store_append_finish:
 * @self: a store
 * @result: the result given to the callback
 * @error: as sextant_conversation_store_append()
 *
 * Returns: the message id, or 0
 */
gint64
sextant_conversation_store_append_finish (SextantConversationStore  *self,
                                          GAsyncResult              *result,
                                          GError                   **error)
{
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);

  return MAX (id, 0);
}

/**
 * sextant_conversation_store_set_state:
 * @self: a store
 * @message_id: a message
 * @state: its new state (a question whose request failed, a retried one that is complete again)
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND
 */
gboolean
sextant_conversation_store_set_state (SextantConversationStore  *self,
                                      gint64                     message_id,
                                      SextantMessageState        state,
                                      GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);
  g_return_val_if_fail (state <= SEXTANT_MESSAGE_FAILED, FALSE);

  if (!sextant_store_check_writable (self->store, error))
    return FALSE;
  stmt = sextant_store_prepare (self->store, "UPDATE messages SET state = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, message_id);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    return not_found (error, "message", message_id);

  return TRUE;
}

/**
 * sextant_conversation_store_replace_message:
 * @self: a store
 * @conversation_id: the conversation
 * @message_id: an interrupted answer of it
 * @error: return location for an error
 *
 * Removes an interrupted answer that a complete one has replaced (Retry after a cut stream), so
 * the conversation reads as the user saw it: one answer per question. Only an interrupted
 * message can be replaced; anything else is refused, since it is the user's record.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_conversation_store_replace_message (SextantConversationStore  *self,
                                            gint64                     conversation_id,
                                            gint64                     message_id,
                                            GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  if (!sextant_store_check_writable (self->store, error))
    return FALSE;
  stmt = sextant_store_prepare (self->store,
                                "DELETE FROM messages WHERE id = ? AND conversation_id = ? "
                                "AND role = 'assistant' AND state = 'interrupted'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_int64 (stmt, 2, conversation_id);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    return not_found (error, "interrupted answer", message_id);
  emit_changed (self, conversation_id);

  return TRUE;
}

/* One parser for all rows: creating one per message was most of the cost of loading a long
 * conversation. A row that does not parse (hand-edited database) loads with no blocks. */
static SextantStoredMessage *
message_from_row (SextantStore *store,
                  sqlite3_stmt *stmt,
                  JsonParser   *parser)
{
  SextantStoredMessage *m = g_new0 (SextantStoredMessage, 1);
  g_autofree char *content = NULL;
  gboolean opened = TRUE;
  JsonNode *root;

  m->id = sqlite3_column_int64 (stmt, 0);
  m->conversation_id = sqlite3_column_int64 (stmt, 1);
  m->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  content = sextant_store_column_dup_text (store, stmt, 3, "messages.content", m->id, &opened);
  if (content != NULL && json_parser_load_from_data (parser, content, -1, NULL) &&
      (root = json_parser_steal_root (parser)) != NULL)
    m->content = root;
  if (m->content == NULL || !JSON_NODE_HOLDS_ARRAY (m->content))
    {
      /* The node takes a reference of its own. */
      g_autoptr(JsonArray) empty = json_array_new ();

      g_clear_pointer (&m->content, json_node_unref);
      m->content = json_node_init_array (json_node_alloc (), empty);
    }
  m->text = dup_sealed_text (store, stmt, 4, "messages.text", m->id,
                             _("This message is encrypted and its key is not available."));
  if (!opened)
    {
      /* Shown as what it is rather than as an empty message. */
      JsonObject *block = json_object_new ();

      json_object_set_string_member (block, "text", m->text);
      json_array_add_object_element (json_node_get_array (m->content), block);
    }
  m->state = state_from_string ((const char *) sqlite3_column_text (stmt, 5));
  m->input_tokens = sqlite3_column_int64 (stmt, 6);
  m->output_tokens = sqlite3_column_int64 (stmt, 7);
  m->created_at = sqlite3_column_int64 (stmt, 8);

  return m;
}

/**
 * sextant_conversation_store_load_messages:
 * @self: a store
 * @conversation_id: a conversation that is not deleted
 * @error: return location
 *
 * Returns: (transfer full) (element-type SextantStoredMessage): its messages, oldest first
 */
GPtrArray *
sextant_conversation_store_load_messages (SextantConversationStore  *self,
                                          gint64                     conversation_id,
                                          GError                   **error)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GPtrArray *messages;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);

  if (!(info = sextant_conversation_store_get (self, conversation_id, error)))
    return NULL;
  stmt = sextant_store_prepare (self->store, "SELECT id, conversation_id, role, content, text, state, "
                                "input_tokens, output_tokens, created_at FROM messages "
                                "WHERE conversation_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  messages = g_ptr_array_new_full (info->n_messages, (GDestroyNotify) sextant_stored_message_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (messages, message_from_row (self->store, stmt, parser));

  return messages;
}

static gboolean
holds_only_tool_results (const SextantStoredMessage *m)
{
  JsonArray *blocks = json_node_get_array (m->content);
  guint n = json_array_get_length (blocks);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *block = json_array_get_element (blocks, i);

      if (!JSON_NODE_HOLDS_OBJECT (block) || !json_object_has_member (json_node_get_object (block), "toolResult"))
        return FALSE;
    }

  return n > 0;
}

/**
 * sextant_conversation_store_load_page:
 * @self: a store
 * @conversation_id: a conversation that is not deleted
 * @before_id: only messages older than this id; 0 for the newest
 * @limit: how many messages at most (a few more when needed, see below)
 * @more: (out) (optional): whether older messages remain
 * @error: return location
 *
 * The newest messages of a long conversation, so that a window can open it at once and load
 * older pages as the user scrolls back. A page never starts with a message of tool results
 * only: the answer that asked for them comes with it, so that each page can be shown alone.
 *
 * Returns: (transfer full) (element-type SextantStoredMessage): the messages, oldest first
 */
GPtrArray *
sextant_conversation_store_load_page (SextantConversationStore  *self,
                                      gint64                     conversation_id,
                                      gint64                     before_id,
                                      guint                      limit,
                                      gboolean                  *more,
                                      GError                   **error)
{
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) newest_first = NULL;
  GPtrArray *messages;
  gboolean rows_left = FALSE;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!(info = sextant_conversation_store_get (self, conversation_id, error)))
    return NULL;
  stmt = sextant_store_prepare (self->store, "SELECT id, conversation_id, role, content, text, state, "
                                "input_tokens, output_tokens, created_at FROM messages "
                                "WHERE conversation_id = ? AND id < ? ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  newest_first = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_stored_message_free);
  while ((rows_left = sqlite3_step (stmt) == SQLITE_ROW))
    {
      if (newest_first->len >= limit &&
          !holds_only_tool_results (newest_first->pdata[newest_first->len - 1]))
        break;
      g_ptr_array_add (newest_first, message_from_row (self->store, stmt, parser));
    }
  if (more != NULL)
    *more = rows_left;

  messages = g_ptr_array_new_full (newest_first->len, (GDestroyNotify) sextant_stored_message_free);
  for (guint i = newest_first->len; i > 0; i--)
    g_ptr_array_add (messages, g_ptr_array_steal_index_fast (newest_first, i - 1));

  return messages;
}

/* Each word of the user's text as an FTS5 string ("a" "b": all of them, any order), so that
 * quotes, colons or NEAR in a search box are words, not query syntax. */
static char *
fts_query (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
    }

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* With a key, each word is also looked for as the keyed hashes of its words (a phrase), which is
 * what the index holds of a sealed message: "(clear words) OR (hashed words)" finds clear rows
 * not migrated yet and sealed ones alike; the hashed words alone once every row is sealed. */
static char *
fts_query_sealed (SextantStoreKey *key,
                  const char      *text,
                  gboolean         all_sealed)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  g_autoptr(GString) hashed = g_string_new (NULL);
  g_autofree char *clear = fts_query (text);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GArray) tokens = sextant_text_tokenize (words[i]);

      if (tokens->len == 0)
        continue;
      if (hashed->len > 0)
        g_string_append_c (hashed, ' ');
      g_string_append_c (hashed, '"');
      for (guint t = 0; t < tokens->len; t++)
        {
          g_autofree char *hash = sextant_store_key_hash_token (key, g_array_index (tokens, SextantTextToken, t).folded);

          g_string_append_printf (hashed, t > 0 ? " %s" : "%s", hash);
        }
      g_string_append_c (hashed, '"');
    }
  if (hashed->len == 0 || clear[0] == '\0')
    return all_sealed ? g_string_free (g_steal_pointer (&hashed), FALSE) : g_steal_pointer (&clear);
  /* Once no clear row is left, the clear words would only cost time. */
  if (all_sealed)
    return g_string_free (g_steal_pointer (&hashed), FALSE);

  return g_strdup_printf ("(%s) OR (%s)", clear, hashed->str);
}

/* A sealed message's snippet, made from its opened text as FTS5's snippet() would: some twelve
 * words around the first match, the matched words in bold. */
static char *
sealed_snippet (const char *text,
                GHashTable *query_words)
{
  g_autoptr(GArray) tokens = sextant_text_tokenize (text);
  g_autoptr(GString) out = g_string_new (NULL);
  guint first = 0, start, end;

  if (tokens->len == 0)
    return g_strdup ("");
  for (guint i = 0; i < tokens->len; i++)
    if (g_hash_table_contains (query_words, g_array_index (tokens, SextantTextToken, i).folded))
      {
        first = i;
        break;
      }
  start = first > 2 ? first - 2 : 0;
  end = MIN (tokens->len, start + 12);
  if (start > 0)
    g_string_append (out, "…");
  for (guint i = start; i < end; i++)
    {
      SextantTextToken *token = &g_array_index (tokens, SextantTextToken, i);
      gboolean bold = g_hash_table_contains (query_words, token->folded);

      if (i > start)
        {
          SextantTextToken *before = &g_array_index (tokens, SextantTextToken, i - 1);

          g_string_append_len (out, text + before->end, token->start - before->end);
        }
      if (bold)
        g_string_append (out, "**");
      g_string_append_len (out, text + token->start, token->end - token->start);
      if (bold)
        g_string_append (out, "**");
    }
  if (end < tokens->len)
    g_string_append (out, "…");
  else
    g_string_append (out, text + g_array_index (tokens, SextantTextToken, end - 1).end);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GHashTable *
query_word_set (const char *query)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) tokens = sextant_text_tokenize (query);

  for (guint i = 0; i < tokens->len; i++)
    g_hash_table_add (set, g_strdup (g_array_index (tokens, SextantTextToken, i).folded));

  return set;
}

/* How many of the newest matches a search ranks: some 5 ms of ranking here. */
#define RANKED_MATCHES 5000

/**
 * sextant_conversation_store_search:
 * @self: a store
 * @query: words to find (all of them, as prefixes are not expanded)
 * @limit: the most hits to return
 * @error: return location
 *
 * Full-text search (FTS5, BM25 ranking) over the text of every message of conversations that
 * are not deleted. A word found in tens of thousands of messages is ranked among its newest
 * RANKED_MATCHES matches only: ranking is a lookup per match (bench-agent: 38 ms for 37,000
 * matches, against 1 ms for a selective query), and in a chat history the newest of so many
 * are the likelier to be looked for.
 *
 * Returns: (transfer full) (element-type SextantSearchHit): the hits, best first
 */
GPtrArray *
sextant_conversation_store_search (SextantConversationStore  *self,
                                   const char                *query,
                                   guint                      limit,
                                   GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) text_stmt = NULL;
  g_autoptr(GHashTable) words = NULL;
  g_autofree char *match = NULL;
  SextantStoreKey *key;
  GPtrArray *hits;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  hits = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_search_hit_free);
  key = sextant_store_get_key (self->store);
  match = key != NULL ? fts_query_sealed (key, query, sextant_store_get_all_sealed (self->store)) : fts_query (query);
  if (match[0] == '\0')
    return hits;
  words = query_word_set (query);
  /* With a key, the snippet is made here from the message's text (sealed or not), for the hits
   * shown only: the index holds hashes, and carrying texts through the ranking's sort of
   * thousands of matches would cost more than the search. */
  stmt = sextant_store_prepare (self->store, key != NULL
                                ? "SELECT m.conversation_id, m.id, c.title, NULL "
                                  "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
                                  "JOIN conversations c ON c.id = m.conversation_id "
                                  "WHERE messages_fts MATCH ?1 AND c.deleted_at IS NULL "
                                  "AND messages_fts.rowid >= coalesce ((SELECT rowid FROM messages_fts "
                                  "  WHERE messages_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?3), 0) "
                                  "ORDER BY rank LIMIT ?2"
                                : "SELECT m.conversation_id, m.id, c.title, "
                                  "snippet(messages_fts, 0, '**', '**', '…', 12) "
                                  "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
                                  "JOIN conversations c ON c.id = m.conversation_id "
                                  "WHERE messages_fts MATCH ?1 AND c.deleted_at IS NULL "
                                  /* FTS5 reads a rowid range from its index without ranking. */
                                  "AND messages_fts.rowid >= coalesce ((SELECT rowid FROM messages_fts "
                                  "  WHERE messages_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?3), 0) "
                                  "ORDER BY rank LIMIT ?2", error);
  if (stmt == NULL || (key != NULL && (text_stmt = sextant_store_prepare (self->store, "SELECT text FROM messages "
                                                                          "WHERE id = ?", error)) == NULL))
    {
      g_ptr_array_unref (hits);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, limit);
  sqlite3_bind_int (stmt, 3, RANKED_MATCHES - 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SextantSearchHit *hit = g_new0 (SextantSearchHit, 1);

      hit->conversation_id = sqlite3_column_int64 (stmt, 0);
      hit->message_id = sqlite3_column_int64 (stmt, 1);
      hit->title = dup_sealed_text (self->store, stmt, 2, "conversations.title", hit->conversation_id,
                                    _("Encrypted conversation (its key is not available)"));
      if (text_stmt != NULL)
        {
          g_autofree char *text = NULL;

          sqlite3_bind_int64 (text_stmt, 1, hit->message_id);
          if (sqlite3_step (text_stmt) == SQLITE_ROW)
            text = sextant_store_column_dup_text (self->store, text_stmt, 0, "messages.text", hit->message_id, NULL);
          sqlite3_reset (text_stmt);
          hit->snippet = text != NULL ? sealed_snippet (text, words) : g_strdup ("");
        }
      else
        hit->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (hits, hit);
    }

  return hits;
}

/**
 * sextant_conversation_store_dup_role_prompt:
 * @self: a store
 * @role: a role id
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND for an unknown role
 *
 * Returns: (transfer full): the user's edited prompt for @role, or its default
 */
char *
sextant_conversation_store_dup_role_prompt (SextantConversationStore  *self,
                                            const char                *role,
                                            GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), NULL);

  if (!check_role (role, error))
    return NULL;
  stmt = sextant_store_prepare (self->store, "SELECT prompt FROM agent_roles WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, role, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return g_strdup (sextant_agent_role_get_default_prompt (role));
}

/**
 * sextant_conversation_store_set_role_prompt:
 * @self: a store
 * @role: a role id
 * @prompt: (nullable): the new system prompt, or %NULL to go back to the default
 * @error: return location
 */
gboolean
sextant_conversation_store_set_role_prompt (SextantConversationStore  *self,
                                            const char                *role,
                                            const char                *prompt,
                                            GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (self), FALSE);

  if (!check_role (role, error))
    return FALSE;
  stmt = sextant_store_prepare (self->store, prompt != NULL
                                ? "INSERT OR REPLACE INTO agent_roles (id, prompt, updated_at) VALUES (?1, ?2, ?3)"
                                : "DELETE FROM agent_roles WHERE id = ?1 AND ?3 IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, role, -1, SQLITE_STATIC);
  if (prompt != NULL)
    sqlite3_bind_text (stmt, 2, prompt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());

  return sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_conversation_store_count_clear:
 * @store: a database
 * @error: return location
 *
 * Returns: how many conversations and messages still hold clear text, or -1
 */
gint64
sextant_conversation_store_count_clear (SextantStore  *store,
                                        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);

  stmt = sextant_store_prepare (store, "SELECT (SELECT count(*) FROM messages WHERE typeof (content) = 'text') + "
                                "(SELECT count(*) FROM conversations WHERE typeof (title) = 'text')", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (store, error, "Cannot count the clear messages");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static gint64
seal_titles (SextantStore  *store,
             guint          max_rows,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 n = 0;

  select = sextant_store_prepare (store, "SELECT id, title FROM conversations WHERE typeof (title) = 'text' "
                                  "ORDER BY id LIMIT ?", error);
  update = select != NULL ? sextant_store_prepare (store, "UPDATE conversations SET title = ? WHERE id = ?", error) : NULL;
  if (update == NULL)
    return -1;
  sqlite3_bind_int (select, 1, max_rows);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);

      sextant_store_bind_text_sealed (store, update, 1, "conversations.title", id, (const char *) sqlite3_column_text (select, 1));
      sqlite3_bind_int64 (update, 2, id);
      if (!sextant_store_step_done (store, update, error))
        return -1;
      n++;
    }

  return n;
}

/* The batch's index entries in one statement: each statement that writes to an FTS5 table
 * makes it flush what it holds in memory to a new segment, and one INSERT per message made a
 * segment per message, then merged again and again (most of the 49 s that encrypting 100,000
 * messages took). The entries go as one JSON array of [id, hashes]; the hashes are letters,
 * digits and spaces, so they need no escaping. */
static gboolean
index_sealed_batch (SextantStore  *store,
                    GString       *entries,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;

  if (entries->len <= 1)
    return TRUE;
  g_string_append_c (entries, ']');
  insert = sextant_store_prepare (store, "INSERT INTO messages_fts (rowid, text) SELECT json_extract (value, '$[0]'), "
                                  "json_extract (value, '$[1]') FROM json_each (?)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, entries->str, entries->len, SQLITE_STATIC);

  return sextant_store_step_done (store, insert, error);
}

static gint64
seal_messages (SextantStore  *store,
               guint          max_rows,
               gint64        *after_id,
               GError       **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GString) entries = g_string_new ("[");
  g_autoptr(GHashTable) hashes_of_words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SextantStoreKey *key = sextant_store_get_key (store);
  gint64 n = 0;

  /* From the cursor on: the rows before it are sealed already, and skipping them by rowid costs
   * nothing, where testing each one's type meant reading the sealed part of the table again in
   * every batch. */
  select = sextant_store_prepare (store, "SELECT id, content, text FROM messages WHERE id > ? AND "
                                  "typeof (content) = 'text' ORDER BY id LIMIT ?", error);
  update = select != NULL ? sextant_store_prepare (store, "UPDATE messages SET content = ?, text = ? WHERE id = ?", error) : NULL;
  if (update == NULL)
    return -1;
  sqlite3_bind_int64 (select, 1, *after_id);
  sqlite3_bind_int (select, 2, max_rows);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      const char *text = (const char *) sqlite3_column_text (select, 2);

      if (text != NULL && text[0] != '\0')
        {
          g_autofree char *hashes = sextant_store_key_hash_text_cached (key, text, hashes_of_words);

          g_string_append_printf (entries, "%s[%" G_GINT64_FORMAT ",\"%s\"]", entries->len > 1 ? "," : "", id, hashes);
        }
      sextant_store_bind_text_sealed (store, update, 1, "messages.content", id, (const char *) sqlite3_column_text (select, 1));
      sextant_store_bind_text_sealed (store, update, 2, "messages.text", id, text);
      sqlite3_bind_int64 (update, 3, id);
      /* The update trigger drops the clear index entry; the hashed one replaces it below. */
      if (!sextant_store_step_done (store, update, error))
        return -1;
      *after_id = id;
      n++;
    }
  if (!index_sealed_batch (store, entries, error))
    return -1;

  return n;
}

/**
 * sextant_conversation_store_seal_batch:
 * @store: a database with a key (sextant_store_set_key())
 * @max_rows: how many rows at most
 * @after_id: (inout) (optional): the message id the previous batch of this run ended at (0 to
 *   start), moved on to this batch's last
 * @error: return location
 *
 * One step of encrypting a clear history in place: seals up to @max_rows titles and messages
 * that are still clear, with their index entries, in one transaction, so that an interrupted
 * migration loses nothing and resumes where it stopped. Messages are sealed in the order of
 * their ids and new ones are sealed as they are written, so a run that hands back @after_id
 * skips what it sealed already.
 *
 * Returns: how many rows were sealed (0 once none is left), or -1
 */
gint64
sextant_conversation_store_seal_batch (SextantStore  *store,
                                       guint          max_rows,
                                       gint64        *after_id,
                                       GError       **error)
{
  gint64 titles, messages = 0, start = 0;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);
  g_return_val_if_fail (sextant_store_get_key (store) != NULL, -1);

  if (after_id == NULL)
    after_id = &start;
  if (!sextant_store_begin (store, error))
    return -1;
  if ((titles = seal_titles (store, max_rows, error)) < 0 ||
      (titles < max_rows && (messages = seal_messages (store, max_rows - titles, after_id, error)) < 0) ||
      !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return -1;
    }

  return titles + messages;
}
