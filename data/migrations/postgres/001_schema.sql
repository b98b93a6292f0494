-- PostgreSQL's counterpart of ../001_schema.sql: the same tables, columns
-- and names, so that the store's queries are the same on both engines.
-- Instants and dates stay ISO text; flags stay 0/1 integers. Text compares
-- in code-point order, as SQLite compares it, because Linkwell's database
-- is made with LC_COLLATE 'C' (InitServer refuses another).

-- Accent-free text for the directory's search. unaccent() itself is only
-- STABLE (its dictionary could change), which an index may not use; the
-- dictionary is fixed here, so the wrapper is IMMUTABLE.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE FUNCTION linkwell_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN unaccent('unaccent'::regdictionary, $1);

-- Ids as SQLite gives them to an INTEGER PRIMARY KEY: one more than the
-- largest, unless the insert names one. A sequence would not know about
-- the ids an import or a copy names itself. Writers take turns (the store's
-- write lock, see data/postgres_driver.go), so two never take the same.
-- Every table with an id gets this trigger (the loop at the end, and each
-- later migration that adds a table).
CREATE FUNCTION linkwell_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    RETURN NEW;
END $$;

-- SQLite's functions that the queries use, with SQLite's meaning.
CREATE FUNCTION instr(text, text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT RETURN strpos($1, $2);
-- A stored instant ('YYYY-MM-DDTHH:MM:SSZ') or date as a timestamp (UTC).
-- Anything else is NULL, as SQLite's julianday() makes it. Built field by field, because a cast from text depends on DateStyle and
-- so is not IMMUTABLE, which an index and a constraint need.
CREATE FUNCTION linkwell_instant(text) RETURNS timestamp
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN $1 ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}($|T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$)' THEN
        make_timestamp(substr($1, 1, 4)::integer, substr($1, 6, 2)::integer, substr($1, 9, 2)::integer,
            coalesce(nullif(substr($1, 12, 2), '')::integer, 0), coalesce(nullif(substr($1, 15, 2), '')::integer, 0),
            coalesce(nullif(substr($1, 18, 2), '')::double precision, 0)) END;
-- The Julian day of an ISO date or instant (only differences are used).
CREATE FUNCTION julianday(text) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN extract(epoch FROM linkwell_instant($1)) / 86400 + 2440587.5;
-- group_concat(x, separator) of text or numbers (ids). Its state is text,
-- not string_agg's internal state, which only a superuser may use: the
-- database's owner makes this schema.
CREATE FUNCTION linkwell_concat_step(text, anynonarray, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || $3 || $2::text END';
CREATE AGGREGATE group_concat(anynonarray, text) (SFUNC = linkwell_concat_step, STYPE = text);
-- Names sort and compare ignoring case, as SQLite's NOCASE does.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);


CREATE TABLE practice (
    id          bigint PRIMARY KEY CHECK (id = 1),
    name        text   NOT NULL CHECK (name <> ''),
    ods_code    text   NOT NULL CHECK (ods_code <> ''),
    address     text   NOT NULL DEFAULT '',
    postcode    text   NOT NULL DEFAULT '',
    phone       text   NOT NULL DEFAULT '',
    list_size   bigint  NOT NULL DEFAULT 0 CHECK (list_size >= 0),
    is_demo     bigint  NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  text   NOT NULL,
    updated_at  text   NOT NULL
);

-- Free-form practice settings (appointment defaults, report options, ...).
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE sites (
    id        bigint PRIMARY KEY,
    name      text NOT NULL UNIQUE CHECK (name <> ''),
    address   text NOT NULL DEFAULT '',
    postcode  text NOT NULL DEFAULT '',
    phone     text NOT NULL DEFAULT ''
);

-- Every member of staff is a user; the role decides what they may do.
CREATE TABLE users (
    id             bigint PRIMARY KEY,
    username       text COLLATE nocase NOT NULL UNIQUE CHECK (username <> ''),
    full_name      text   NOT NULL CHECK (full_name <> ''),
    role           text   NOT NULL CHECK (role IN ('receptionist', 'gp', 'link_worker', 'practice_manager', 'administrator')),
    job_title      text   NOT NULL DEFAULT '',
    email          text   NOT NULL DEFAULT '',
    phone          text   NOT NULL DEFAULT '',
    password_hash  text   NOT NULL,
    active         bigint  NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_sign_in   text,
    created_at     text   NOT NULL,
    created_by     bigint  REFERENCES users (id),
    updated_at     text   NOT NULL,
    updated_by     bigint  REFERENCES users (id)
);
CREATE INDEX users_role ON users (role, active);

-- A link worker's weekly pattern: one row per session (weekday 1 = Monday).
CREATE TABLE work_sessions (
    id          bigint PRIMARY KEY,
    worker_id   bigint  NOT NULL REFERENCES users (id),
    weekday     bigint  NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min   bigint  NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min     bigint  NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    site_id     bigint  REFERENCES sites (id),
    valid_from  text   NOT NULL,
    valid_to    text,
    created_at  text   NOT NULL,
    created_by  bigint  REFERENCES users (id),
    CHECK (end_min > start_min),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX work_sessions_worker ON work_sessions (worker_id, weekday);

-- Leave for one link worker, or a day the whole practice is closed
-- (worker_id NULL: bank holidays).
CREATE TABLE leave (
    id          bigint PRIMARY KEY,
    worker_id   bigint  REFERENCES users (id),
    first_day   text NOT NULL,
    last_day    text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    created_at  text NOT NULL,
    created_by  bigint  REFERENCES users (id),
    CHECK (last_day >= first_day)
);
CREATE INDEX leave_worker ON leave (worker_id, first_day);

-- rowid: the order the types were added, which SQLite's queries sort by.
CREATE TABLE appointment_types (
    rowid            bigint GENERATED ALWAYS AS IDENTITY,
    code             text   PRIMARY KEY,
    name             text   NOT NULL,
    default_minutes  bigint  NOT NULL CHECK (default_minutes BETWEEN 5 AND 480)
);
INSERT INTO appointment_types (code, name, default_minutes) VALUES
    ('initial_assessment', 'Initial assessment', 60),
    ('follow_up', 'Follow-up', 30),
    ('review', 'Review', 30),
    ('phone_call', 'Phone call', 20),
    ('home_visit', 'Home visit', 90),
    ('group', 'Group session', 60);

CREATE TABLE patients (
    id                 bigint PRIMARY KEY,
    nhs_number         text UNIQUE CHECK (nhs_number IS NULL OR nhs_number ~ '^[0-9]{10}$'),
    given_name         text NOT NULL CHECK (given_name <> ''),
    family_name        text NOT NULL CHECK (family_name <> ''),
    -- Lower-case, accent-free copies of the names for prefix search.
    given_key          text NOT NULL,
    family_key         text NOT NULL,
    date_of_birth      text NOT NULL,
    sex                text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    -- NHS Data Dictionary ethnic category code (A-Z); '' = not asked.
    ethnic_category    text NOT NULL DEFAULT '',
    address            text NOT NULL DEFAULT '',
    postcode           text NOT NULL DEFAULT '',
    phone              text NOT NULL DEFAULT '',
    email              text NOT NULL DEFAULT '',
    preferred_contact  text NOT NULL DEFAULT 'phone' CHECK (preferred_contact IN ('phone', 'text', 'email', 'letter')),
    interpreter        bigint  NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
    language           text NOT NULL DEFAULT '',
    large_print        bigint  NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1)),
    easy_read          bigint  NOT NULL DEFAULT 0 CHECK (easy_read IN (0, 1)),
    bsl                bigint  NOT NULL DEFAULT 0 CHECK (bsl IN (0, 1)),
    consent_contact    bigint  NOT NULL DEFAULT 0 CHECK (consent_contact IN (0, 1)),
    consent_share      bigint  NOT NULL DEFAULT 0 CHECK (consent_share IN (0, 1)),
    -- Bumped by every save, so a stale edit cannot overwrite a newer one.
    version            bigint  NOT NULL DEFAULT 1,
    created_at         text NOT NULL,
    created_by         bigint  REFERENCES users (id),
    updated_at         text NOT NULL,
    updated_by         bigint  REFERENCES users (id)
);
CREATE INDEX patients_family ON patients (family_key, given_key);
CREATE INDEX patients_given ON patients (given_key);
CREATE INDEX patients_dob ON patients (date_of_birth);

-- One episode of care.
CREATE TABLE referrals (
    id                  bigint PRIMARY KEY,
    patient_id          bigint  NOT NULL REFERENCES patients (id),
    received_on         text   NOT NULL,
    source              text   NOT NULL CHECK (source IN ('gp', 'practice_nurse', 'practice_staff', 'hospital', 'mental_health', 'social_care', 'housing', 'vcse', 'self', 'family_carer', 'other')),
    referrer_name       text   NOT NULL DEFAULT '',
    referrer_org        text   NOT NULL DEFAULT '',
    what_matters        text   NOT NULL DEFAULT '',
    priority            text   NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'soon', 'urgent')),
    priority_reason     text   NOT NULL DEFAULT '',
    consent_by          text   NOT NULL DEFAULT '',
    consent_on          text,
    link_worker_id      bigint  REFERENCES users (id),
    status              text   NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'contacted', 'accepted', 'active', 'closed', 'declined', 'unable_to_contact')),
    status_changed_at   text   NOT NULL,
    first_contact_at    text,
    closed_at           text,
    closing_reason      text CHECK (closing_reason IS NULL OR closing_reason IN ('goals_met', 'moved_away', 'declined_support', 'not_engaging', 'died', 'transferred', 'other')),
    snomed_code         text CHECK (snomed_code IS NULL OR snomed_code IN ('871731000000106', '871711000000103')),
    snomed_recorded_at  text,
    coded_in_gp_record  bigint  NOT NULL DEFAULT 0 CHECK (coded_in_gp_record IN (0, 1)),
    last_activity_at    text   NOT NULL,
    created_at          text   NOT NULL,
    created_by          bigint  REFERENCES users (id),
    updated_at          text   NOT NULL,
    updated_by          bigint  REFERENCES users (id)
);
-- At most one open episode per patient.
CREATE UNIQUE INDEX referrals_one_open ON referrals (patient_id)
    WHERE status IN ('received', 'contacted', 'accepted', 'active');
CREATE INDEX referrals_patient ON referrals (patient_id, received_on);
CREATE INDEX referrals_received ON referrals (received_on);
CREATE INDEX referrals_status ON referrals (status, received_on);
CREATE INDEX referrals_worker ON referrals (link_worker_id, status, received_on);
CREATE INDEX referrals_source ON referrals (source, received_on);
CREATE INDEX referrals_activity ON referrals (last_activity_at);

CREATE TABLE referral_reasons (
    referral_id  bigint  NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    reason       text   NOT NULL CHECK (reason IN ('loneliness', 'money_debt', 'benefits', 'housing', 'employment', 'stress_low_mood', 'low_confidence', 'physical_activity', 'weight', 'long_term_condition', 'carer_support', 'bereavement', 'substance_use', 'other')),
    PRIMARY KEY (referral_id, reason)
);
CREATE INDEX referral_reasons_reason ON referral_reasons (reason, referral_id);

-- Every status move, reassignment and coding of an episode: who, when, why.
CREATE TABLE referral_history (
    id              bigint PRIMARY KEY,
    referral_id     bigint  NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    at              text   NOT NULL,
    by_user         bigint  REFERENCES users (id),
    kind            text   NOT NULL CHECK (kind IN ('status', 'reassigned', 'coded')),
    from_status     text,
    to_status       text,
    from_worker_id  bigint  REFERENCES users (id),
    to_worker_id    bigint  REFERENCES users (id),
    closing_reason  text,
    reason          text   NOT NULL DEFAULT ''
);
CREATE INDEX referral_history_referral ON referral_history (referral_id, at);

CREATE TABLE appointments (
    id             bigint PRIMARY KEY,
    worker_id      bigint  NOT NULL REFERENCES users (id),
    patient_id     bigint  NOT NULL REFERENCES patients (id),
    referral_id    bigint  REFERENCES referrals (id),
    starts_at      text   NOT NULL,
    ends_at        text   NOT NULL,
    type           text   NOT NULL REFERENCES appointment_types (code),
    mode           text   NOT NULL CHECK (mode IN ('in_person', 'phone', 'video', 'home_visit')),
    site_id        bigint  REFERENCES sites (id),
    status         text   NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'arrived', 'attended', 'dna', 'cancelled_patient', 'cancelled_practice')),
    notes          text   NOT NULL DEFAULT '',
    cancel_reason  text   NOT NULL DEFAULT '',
    booked_at      text   NOT NULL,
    booked_by      bigint  REFERENCES users (id),
    updated_at     text   NOT NULL,
    updated_by     bigint  REFERENCES users (id),
    CHECK (ends_at > starts_at)
);
-- No double booking, guaranteed by PostgreSQL itself: two live
-- appointments (liveSQL in data/diary.go) of one link worker, or of one
-- patient, never overlap. The store checks first and says which slot is
-- free (checkBooking); these catch whatever might get past it.
ALTER TABLE appointments ADD CONSTRAINT appointments_worker_no_overlap EXCLUDE USING gist (
    worker_id WITH =, tsrange(linkwell_instant(starts_at), linkwell_instant(ends_at)) WITH &&)
    WHERE (status IN ('booked', 'arrived', 'attended'));
ALTER TABLE appointments ADD CONSTRAINT appointments_patient_no_overlap EXCLUDE USING gist (
    patient_id WITH =, tsrange(linkwell_instant(starts_at), linkwell_instant(ends_at)) WITH &&)
    WHERE (status IN ('booked', 'arrived', 'attended'));
CREATE INDEX appointments_worker ON appointments (worker_id, starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_referral ON appointments (referral_id, starts_at);
CREATE INDEX appointments_start ON appointments (starts_at);

-- The community directory.
CREATE TABLE services (
    id                bigint PRIMARY KEY,
    external_id       text UNIQUE,
    name              text   NOT NULL CHECK (name <> ''),
    organisation      text   NOT NULL DEFAULT '',
    -- Categories separated by ';' (a fixed list in data/).
    categories        text   NOT NULL DEFAULT '',
    description       text   NOT NULL DEFAULT '',
    address           text   NOT NULL DEFAULT '',
    postcode          text   NOT NULL DEFAULT '',
    phone             text   NOT NULL DEFAULT '',
    email             text   NOT NULL DEFAULT '',
    website           text   NOT NULL DEFAULT '',
    schedule          text   NOT NULL DEFAULT '',
    cost              text   NOT NULL DEFAULT '',
    is_free           bigint  NOT NULL DEFAULT 1 CHECK (is_free IN (0, 1)),
    access            text   NOT NULL DEFAULT 'self_refer' CHECK (access IN ('drop_in', 'self_refer', 'needs_referral')),
    eligibility       text   NOT NULL DEFAULT '',
    accessibility     text   NOT NULL DEFAULT '',
    status            text   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    last_verified_on  text,
    verified_by       bigint  REFERENCES users (id),
    created_at        text   NOT NULL,
    created_by        bigint  REFERENCES users (id),
    updated_at        text   NOT NULL,
    updated_by        bigint  REFERENCES users (id)
);
CREATE INDEX services_status ON services (status, name);
CREATE INDEX services_verified ON services (last_verified_on);

-- The directory's full-text search (SQLite: the services_fts table). The
-- words of the four columns, accents removed as SQLite's remove_diacritics
-- does; "simple" keeps every word whole, without English stemming, as
-- SQLite's unicode61 tokenizer does.
-- Weighted as SQLite's bm25 weighs them: the name most (A), then the
-- organisation and the categories (B), then the description (D).
ALTER TABLE services ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', linkwell_unaccent(name)), 'A') ||
    setweight(to_tsvector('simple', linkwell_unaccent(organisation || ' ' || replace(categories, ';', ' '))), 'B') ||
    setweight(to_tsvector('simple', linkwell_unaccent(description)), 'D')) STORED;
CREATE INDEX services_search ON services USING gin (search);

-- A printed social prescription. content holds everything the PDF shows, as
-- issued (JSON), so a reprint is identical.
CREATE TABLE prescriptions (
    id                   bigint PRIMARY KEY,
    patient_id           bigint  NOT NULL REFERENCES patients (id),
    referral_id          bigint  REFERENCES referrals (id),
    prescriber_id        bigint  NOT NULL REFERENCES users (id),
    issued_at            text   NOT NULL,
    next_appointment_id  bigint  REFERENCES appointments (id),
    large_print          bigint  NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1)),
    content              text   NOT NULL,
    created_by           bigint  REFERENCES users (id)
);
CREATE INDEX prescriptions_patient ON prescriptions (patient_id, issued_at);
CREATE INDEX prescriptions_referral ON prescriptions (referral_id);

CREATE TABLE prescription_items (
    id               bigint PRIMARY KEY,
    prescription_id  bigint  NOT NULL REFERENCES prescriptions (id) ON DELETE CASCADE,
    position         bigint  NOT NULL,
    service_id       bigint  REFERENCES services (id),
    service_name     text   NOT NULL,
    note             text   NOT NULL DEFAULT '',
    UNIQUE (prescription_id, position)
);
CREATE INDEX prescription_items_service ON prescription_items (service_id);

CREATE TABLE prescription_prints (
    id               bigint PRIMARY KEY,
    prescription_id  bigint  NOT NULL REFERENCES prescriptions (id),
    printed_at       text   NOT NULL,
    printed_by       bigint  REFERENCES users (id),
    reprint          bigint  NOT NULL CHECK (reprint IN (0, 1))
);

-- Contacts and case notes of an episode.
CREATE TABLE contacts (
    id           bigint PRIMARY KEY,
    referral_id  bigint  NOT NULL REFERENCES referrals (id),
    at           text   NOT NULL,
    kind         text   NOT NULL CHECK (kind IN ('phone', 'in_person', 'video', 'home_visit', 'message', 'note')),
    minutes      bigint  NOT NULL DEFAULT 0 CHECK (minutes BETWEEN 0 AND 1440),
    text         text   NOT NULL DEFAULT '',
    created_at   text   NOT NULL,
    created_by   bigint  REFERENCES users (id)
);
CREATE INDEX contacts_referral ON contacts (referral_id, at);

-- "What I want to change", rated 0-10 at the start and at review.
CREATE TABLE goals (
    id            bigint PRIMARY KEY,
    referral_id   bigint  NOT NULL REFERENCES referrals (id),
    description   text   NOT NULL CHECK (description <> ''),
    start_score   bigint  NOT NULL CHECK (start_score BETWEEN 0 AND 10),
    set_on        text   NOT NULL,
    review_score  bigint  CHECK (review_score BETWEEN 0 AND 10),
    reviewed_on   text,
    created_at    text   NOT NULL,
    created_by    bigint  REFERENCES users (id),
    updated_at    text   NOT NULL,
    updated_by    bigint  REFERENCES users (id)
);
CREATE INDEX goals_referral ON goals (referral_id);

-- ONS4 personal wellbeing, each 0-10 (anxiety: lower is better).
CREATE TABLE wellbeing_measures (
    id                 bigint PRIMARY KEY,
    referral_id        bigint  NOT NULL REFERENCES referrals (id),
    stage              text   NOT NULL CHECK (stage IN ('baseline', 'review', 'closure')),
    taken_on           text   NOT NULL,
    life_satisfaction  bigint  NOT NULL CHECK (life_satisfaction BETWEEN 0 AND 10),
    worthwhile         bigint  NOT NULL CHECK (worthwhile BETWEEN 0 AND 10),
    happiness          bigint  NOT NULL CHECK (happiness BETWEEN 0 AND 10),
    anxiety            bigint  NOT NULL CHECK (anxiety BETWEEN 0 AND 10),
    created_at         text   NOT NULL,
    created_by         bigint  REFERENCES users (id)
);
CREATE INDEX wellbeing_referral ON wellbeing_measures (referral_id, taken_on);

-- Who did what to which record, when. Append-only.
CREATE TABLE audit_events (
    id         bigint PRIMARY KEY,
    at         text   NOT NULL,
    user_id    bigint  REFERENCES users (id),
    action     text   NOT NULL,
    entity     text   NOT NULL,
    entity_id  bigint ,
    detail     text   NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_events (entity, entity_id);
CREATE INDEX audit_at ON audit_events (at);
CREATE FUNCTION audit_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be deleted';
END $$;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_delete();
CREATE FUNCTION audit_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_update();
-- Nobody may empty the table at once either (TRUNCATE fires no row trigger).
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_delete();

-- Every table with an id numbers its rows as SQLite does (linkwell_next_id).
DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables USING (table_schema, table_name)
        WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND table_type = 'BASE TABLE'
            AND c.table_name NOT IN ('practice')
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION linkwell_next_id()',
            t || '_next_id', t);
    END LOOP;
END $$;
