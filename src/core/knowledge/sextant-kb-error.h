#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_KB_ERROR (sextant_kb_error_quark ())

/**
 * SextantKbError:
 * @SEXTANT_KB_ERROR_UNSUPPORTED: a file of a kind the knowledge base does not read
 * @SEXTANT_KB_ERROR_READ: a file that cannot be read or parsed (the message names it)
 * @SEXTANT_KB_ERROR_NO_TEXT_LAYER: a PDF page with no text to extract (a scan): file and page named
 * @SEXTANT_KB_ERROR_EMPTY: a document with no text at all
 * @SEXTANT_KB_ERROR_NOT_FOUND: no stored document by that name or path
 * @SEXTANT_KB_ERROR_AMBIGUOUS: a file name that several stored documents share
 * @SEXTANT_KB_ERROR_INVALID: a bad argument (chunk size, overlap, query, dimension)
 */
typedef enum
{
  SEXTANT_KB_ERROR_UNSUPPORTED,
  SEXTANT_KB_ERROR_READ,
  SEXTANT_KB_ERROR_NO_TEXT_LAYER,
  SEXTANT_KB_ERROR_EMPTY,
  SEXTANT_KB_ERROR_NOT_FOUND,
  SEXTANT_KB_ERROR_AMBIGUOUS,
  SEXTANT_KB_ERROR_INVALID,
} SextantKbError;

GQuark sextant_kb_error_quark (void);

G_END_DECLS
