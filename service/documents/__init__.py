"""Case documents' bytes: one port (``BlobStore``), content-addressed by SHA-256, two stores.

``port``: the Protocol and its value types; ``local``: the embedded default, files under the
instance folder; ``s3``: S3-compatible object storage for scale-out (boto3, the ``s3`` extra);
``sniff``: the media type told from the content; ``names``: file names made safe to keep and send.
Nothing here touches the database: the rows live in ``service.store`` (table ``case_documents``).
"""
