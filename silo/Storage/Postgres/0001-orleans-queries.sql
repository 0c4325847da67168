-- The table of named queries that Orleans' ADO.NET providers load at start
-- ("SELECT QueryKey, QueryText FROM OrleansQuery"). Each provider runs only these texts, binding its parameters by
-- name (@DeploymentId, @GrainStateVersion, ...) and reading result columns by name, case-insensitively. The later
-- scripts fill it; an upgrade redefines a query with INSERT ... ON CONFLICT (QueryKey) DO UPDATE.
CREATE TABLE OrleansQuery
(
    QueryKey  text NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);
