"""The onboarding workbook: a municipality goes live, and keeps in step, from one Excel
workbook filled from its own systems.

- `sheets`: the sheets and columns, in Danish, as the template writes them and the
  check reads them.
- `template`: the workbook to download, with an example row per sheet and a guide.
- `check`: reads an uploaded workbook and checks every cell, every row and every
  reference between the sheets; any problem refuses the whole workbook, named by sheet,
  row and column.
- `plan`: compares the checked workbook with the portal, matched by the municipality's
  own ids (`external_key`), and lists what an import would change.
- `services`: stores the checked workbook for its preview, imports it in one
  transaction, and sends the invitations in the background.
"""
