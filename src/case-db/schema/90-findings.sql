-- The findings of the analysis, written after the rules ran, so that the analyst can query them
-- beside the evidence (`cf-analyze query case.db "select * from findings where red_flag = 1"`).
create table findings (
  id text primary key,                -- stable finding id (rule + subject + key)
  rule text not null,
  severity text not null,             -- INFO | SUSPICIOUS | MALICIOUS
  grp text not null,                  -- docker | escape | runtime | kubernetes | control-plane | audit | evidence
  red_flag integer not null,
  title text not null,
  subject_kind text not null,
  subject_name text not null,
  subject_namespace text,
  subject_container text,
  subject_id text,
  subject_image text,
  subject_host text,
  attack text not null,               -- JSON array
  reasons text not null,              -- JSON array
  evidence text not null,             -- JSON array of {path, sha256, locator, input}
  first_seen text,
  last_seen text
);
