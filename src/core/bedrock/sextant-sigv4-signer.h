#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * SextantSigv4Flags:
 * @SEXTANT_SIGV4_FLAGS_NONE: Bedrock's defaults
 * @SEXTANT_SIGV4_NO_NORMALIZE_PATH: keep `.`, `..` and `//` in the path (S3 style)
 * @SEXTANT_SIGV4_SIGN_BODY: add and sign `x-amz-content-sha256`
 * @SEXTANT_SIGV4_OMIT_SESSION_TOKEN: add the session token after signing, unsigned
 * @SEXTANT_SIGV4_S3: Amazon S3's rules: the path is encoded once (not twice as for other
 *   services) and not normalized, and `x-amz-content-sha256` is required and signed
 */
typedef enum
{
  SEXTANT_SIGV4_FLAGS_NONE         = 0,
  SEXTANT_SIGV4_NO_NORMALIZE_PATH  = 1 << 0,
  SEXTANT_SIGV4_SIGN_BODY          = 1 << 1,
  SEXTANT_SIGV4_OMIT_SESSION_TOKEN = 1 << 2,
  SEXTANT_SIGV4_S3                 = 1 << 3,
} SextantSigv4Flags;

/**
 * SextantSigv4Signature:
 * @canonical_request: the canonical request that was hashed
 * @string_to_sign: the string that was signed
 * @signed_headers: the `;`-joined lower-case header names
 * @signature: the lower-case hex signature
 * @authorization: the full `Authorization` header value
 */
typedef struct
{
  char *canonical_request;
  char *string_to_sign;
  char *signed_headers;
  char *signature;
  char *authorization;
} SextantSigv4Signature;

#define SEXTANT_TYPE_SIGV4_SIGNER (sextant_sigv4_signer_get_type ())

G_DECLARE_FINAL_TYPE (SextantSigv4Signer, sextant_sigv4_signer, SEXTANT, SIGV4_SIGNER, GObject)

SextantSigv4Signer    *sextant_sigv4_signer_new             (const char          *region,
                                                             const char          *service);
const char            *sextant_sigv4_signer_get_region      (SextantSigv4Signer  *self);
void                   sextant_sigv4_signer_set_credentials (SextantSigv4Signer  *self,
                                                             const char          *access_key_id,
                                                             const char          *secret_access_key,
                                                             const char          *session_token);
SextantSigv4Signature *sextant_sigv4_signer_sign            (SextantSigv4Signer  *self,
                                                             const char          *method,
                                                             const char          *path,
                                                             const char          *query,
                                                             SoupMessageHeaders  *headers,
                                                             const guint8        *body,
                                                             gsize                body_len,
                                                             GDateTime           *when,
                                                             SextantSigv4Flags    flags);
gboolean               sextant_sigv4_signer_sign_message    (SextantSigv4Signer  *self,
                                                             SoupMessage         *message,
                                                             GBytes              *body,
                                                             GDateTime           *when,
                                                             GError             **error);
gboolean               sextant_sigv4_signer_sign_s3_message (SextantSigv4Signer  *self,
                                                             SoupMessage         *message,
                                                             GBytes              *body,
                                                             GDateTime           *when,
                                                             GError             **error);
char                  *sextant_sigv4_canonical_uri          (const char          *path,
                                                             gboolean             normalize);
char                  *sextant_sigv4_canonical_uri_s3       (const char          *path);
char                  *sextant_sigv4_canonical_query        (const char          *query);
char                  *sextant_sigv4_hex_sha256             (const guint8        *data,
                                                             gsize                len);
void                   sextant_sigv4_signature_free         (SextantSigv4Signature *signature);
void                   sextant_bearer_auth_apply            (SoupMessage         *message,
                                                             const char          *api_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantSigv4Signature, sextant_sigv4_signature_free)

G_END_DECLS
