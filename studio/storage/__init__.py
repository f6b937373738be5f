"""Where the data lives: the database, schema, migrations, backups, paths, the one-copy lock."""
