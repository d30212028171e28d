"""CSV and XLSX import: read sheets safely, validate rows, resolve ids, write through the services.

`readiness.importing.run` is the entry point (`import_file`, `import_dir`); the modules here are
its parts, one noun each: a sheet, a cell, a kind of file, a row, the directory of known ids,
the match against stored records, the spool that holds parsed rows between
reading and writing, the writer (changed rows in bulk) and the report.
"""
