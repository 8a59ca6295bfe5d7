#define G_LOG_DOMAIN "sextant-kb-store-tags"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "knowledge/sextant-kb-error.h"
#include "knowledge/sextant-kb-store-private.h"

/* A document's tags ("policy", "research", "minutes"): words the user gives documents so that a
 * search, the assistant's included, can be limited to one kind of document. Matched without
 * regard to case (the column's collation), kept as first written. */

#define MAX_TAG_CHARS 64

/**
 * sextant_kb_tag_normalize:
 * @tag: a tag as the user typed it
 * @error: return location for %SEXTANT_KB_ERROR_INVALID
 *
 * Returns: (transfer full) (nullable): @tag without surrounding spaces, or %NULL when it is
 *   empty, longer than 64 characters, not UTF-8 or holds a control character or a comma
 */
char *
sextant_kb_tag_normalize (const char  *tag,
                          GError     **error)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (tag != NULL, NULL);

  if (!g_utf8_validate (tag, -1, NULL))
    {
      g_set_error_literal (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID, _("A tag must be UTF-8 text"));
      return NULL;
    }
  stripped = g_strstrip (g_strdup (tag));
  if (stripped[0] == '\0' || g_utf8_strlen (stripped, -1) > MAX_TAG_CHARS)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                   _("“%s” is not a tag: give 1 to %d characters"), tag, MAX_TAG_CHARS);
      return NULL;
    }
  for (const char *p = stripped; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A comma would read as two tags in `kb list` and in a list of them. */
      if (g_unichar_iscntrl (c) || c == ',')
        {
          g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                       _("“%s” is not a tag: no commas or control characters"), stripped);
          return NULL;
        }
    }

  return g_steal_pointer (&stripped);
}

static gboolean
change_tag (SextantKbStore  *self,
            const char      *sql,
            gint64           document_id,
            const char      *tag,
            GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = NULL;

  if ((normalized = sextant_kb_tag_normalize (tag, error)) == NULL)
    return FALSE;
  if ((stmt = sextant_store_prepare (self->store, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_text (stmt, 2, normalized, -1, SQLITE_TRANSIENT);

  return sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_kb_store_add_tag:
 * @self: a knowledge base
 * @document_id: a document (sextant_kb_store_find_document())
 * @tag: a tag; one the document has already, in any case, is kept as it is
 * @error: return location for %SEXTANT_KB_ERROR_INVALID, %SEXTANT_KB_ERROR_NOT_FOUND or a
 *   store error
 *
 * Returns: whether the document carries @tag now
 */
gboolean
sextant_kb_store_add_tag (SextantKbStore  *self,
                          gint64           document_id,
                          const char      *tag,
                          GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (change_tag (self, "INSERT OR IGNORE INTO kb_document_tags (document_id, tag) VALUES (?1, ?2)",
                  document_id, tag, &local_error))
    return TRUE;
  /* The only foreign key: the document is not there. */
  if (g_error_matches (local_error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT))
    g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND,
                 _("No document %" PRId64 " in the knowledge base"), document_id);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

/**
 * sextant_kb_store_remove_tag:
 * @self: a knowledge base
 * @document_id: a document
 * @tag: one of its tags, in any case
 * @error: return location for %SEXTANT_KB_ERROR_INVALID or a store error
 *
 * Returns: whether the document is without @tag now (whether it had it or not)
 */
gboolean
sextant_kb_store_remove_tag (SextantKbStore  *self,
                             gint64           document_id,
                             const char      *tag,
                             GError         **error)
{
  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  return change_tag (self, "DELETE FROM kb_document_tags WHERE document_id = ?1 AND tag = ?2", document_id, tag,
                     error);
}

/**
 * sextant_kb_store_set_tags:
 * @self: a knowledge base
 * @document_id: a document
 * @tags: (array zero-terminated=1): its tags from now on; blank ones are skipped
 * @error: return location for %SEXTANT_KB_ERROR_INVALID (nothing is changed then),
 *   %SEXTANT_KB_ERROR_NOT_FOUND or a store error
 *
 * Replaces the document's tags, all or none.
 *
 * Returns: whether the document carries exactly @tags now
 */
gboolean
sextant_kb_store_set_tags (SextantKbStore      *self,
                           gint64               document_id,
                           const char * const  *tags,
                           GError             **error)
{
  g_autoptr(sqlite3_stmt) clear = NULL;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), FALSE);
  g_return_val_if_fail (tags != NULL, FALSE);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (tags[i]));
      g_autofree char *normalized = NULL;

      if (stripped[0] != '\0' && (normalized = sextant_kb_tag_normalize (tags[i], error)) == NULL)
        return FALSE;
    }
  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if ((clear = sextant_store_prepare (self->store, "DELETE FROM kb_document_tags WHERE document_id = ?", error)) == NULL)
    goto failed;
  sqlite3_bind_int64 (clear, 1, document_id);
  if (!sextant_store_step_done (self->store, clear, error))
    goto failed;
  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (tags[i]));

      if (stripped[0] != '\0' && !sextant_kb_store_add_tag (self, document_id, stripped, error))
        goto failed;
    }
  if (sextant_store_commit (self->store, error))
    return TRUE;

failed:
  sextant_store_rollback (self->store);

  return FALSE;
}

/**
 * sextant_kb_store_list_tags:
 * @self: a knowledge base
 * @error: return location for a store error
 *
 * Returns: (transfer full) (array zero-terminated=1): every tag some document carries, each once
 *   (as first written), sorted without regard to case
 */
char **
sextant_kb_store_list_tags (SextantKbStore  *self,
                            GError         **error)
{
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT min(tag) FROM kb_document_tags GROUP BY tag ORDER BY 1 COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (tags, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "listing tags");
      return NULL;
    }

  return g_strv_builder_end (tags);
}

/* The documents that carry @tag, or %NULL with an error naming the tag when none does (a search
 * limited to a tag nobody gave would find nothing, silently). */
GHashTable *
_sextant_kb_store_tagged_documents (SextantKbStore  *self,
                                    const char      *tag,
                                    GError         **error)
{
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  int rc;

  if ((normalized = sextant_kb_tag_normalize (tag, error)) == NULL)
    return NULL;
  stmt = sextant_store_prepare (self->store, "SELECT document_id FROM kb_document_tags WHERE tag = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (documents, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)));
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "reading tags");
      return NULL;
    }
  if (g_hash_table_size (documents) == 0)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NOT_FOUND,
                   _("No document is tagged “%s”"), normalized);
      return NULL;
    }

  return g_steal_pointer (&documents);
}
