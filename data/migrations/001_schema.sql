-- The whole Linkwell domain (docs/ARCHITECTURE.md). Later migrations add columns or
-- indexes; behaviour lives in Go. Dates are ISO text: a date is 'YYYY-MM-DD',
-- an instant is UTC 'YYYY-MM-DDTHH:MM:SSZ', so text order is time order.

CREATE TABLE practice (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT    NOT NULL CHECK (name <> ''),
    ods_code    TEXT    NOT NULL CHECK (ods_code <> ''),
    address     TEXT    NOT NULL DEFAULT '',
    postcode    TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    list_size   INTEGER NOT NULL DEFAULT 0 CHECK (list_size >= 0),
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- Free-form practice settings (appointment defaults, report options, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sites (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (name <> ''),
    address   TEXT NOT NULL DEFAULT '',
    postcode  TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT ''
);

-- Every member of staff is a user; the role decides what they may do.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (username <> ''),
    full_name      TEXT    NOT NULL CHECK (full_name <> ''),
    role           TEXT    NOT NULL CHECK (role IN ('receptionist', 'gp', 'link_worker', 'practice_manager', 'administrator')),
    job_title      TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    password_hash  TEXT    NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_sign_in   TEXT,
    created_at     TEXT    NOT NULL,
    created_by     INTEGER REFERENCES users (id),
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER REFERENCES users (id)
);
CREATE INDEX users_role ON users (role, active);

-- A link worker's weekly pattern: one row per session (weekday 1 = Monday).
CREATE TABLE work_sessions (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES users (id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    site_id     INTEGER REFERENCES sites (id),
    valid_from  TEXT    NOT NULL,
    valid_to    TEXT,
    created_at  TEXT    NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    CHECK (end_min > start_min),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX work_sessions_worker ON work_sessions (worker_id, weekday);

-- Leave for one link worker, or a day the whole practice is closed
-- (worker_id NULL: bank holidays).
CREATE TABLE leave (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER REFERENCES users (id),
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    CHECK (last_day >= first_day)
);
CREATE INDEX leave_worker ON leave (worker_id, first_day);

CREATE TABLE appointment_types (
    code             TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    default_minutes  INTEGER NOT NULL CHECK (default_minutes BETWEEN 5 AND 480)
);
INSERT INTO appointment_types (code, name, default_minutes) VALUES
    ('initial_assessment', 'Initial assessment', 60),
    ('follow_up', 'Follow-up', 30),
    ('review', 'Review', 30),
    ('phone_call', 'Phone call', 20),
    ('home_visit', 'Home visit', 90),
    ('group', 'Group session', 60);

CREATE TABLE patients (
    id                 INTEGER PRIMARY KEY,
    nhs_number         TEXT UNIQUE CHECK (nhs_number IS NULL OR (length(nhs_number) = 10 AND nhs_number NOT GLOB '*[^0-9]*')),
    given_name         TEXT NOT NULL CHECK (given_name <> ''),
    family_name        TEXT NOT NULL CHECK (family_name <> ''),
    -- Lower-case, accent-free copies of the names for prefix search.
    given_key          TEXT NOT NULL,
    family_key         TEXT NOT NULL,
    date_of_birth      TEXT NOT NULL,
    sex                TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    -- NHS Data Dictionary ethnic category code (A-Z); '' = not asked.
    ethnic_category    TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    postcode           TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    preferred_contact  TEXT NOT NULL DEFAULT 'phone' CHECK (preferred_contact IN ('phone', 'text', 'email', 'letter')),
    interpreter        INTEGER NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
    language           TEXT NOT NULL DEFAULT '',
    large_print        INTEGER NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1)),
    easy_read          INTEGER NOT NULL DEFAULT 0 CHECK (easy_read IN (0, 1)),
    bsl                INTEGER NOT NULL DEFAULT 0 CHECK (bsl IN (0, 1)),
    consent_contact    INTEGER NOT NULL DEFAULT 0 CHECK (consent_contact IN (0, 1)),
    consent_share      INTEGER NOT NULL DEFAULT 0 CHECK (consent_share IN (0, 1)),
    -- Bumped by every save, so a stale edit cannot overwrite a newer one.
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER REFERENCES users (id)
);
CREATE INDEX patients_family ON patients (family_key, given_key);
CREATE INDEX patients_given ON patients (given_key);
CREATE INDEX patients_dob ON patients (date_of_birth);

-- One episode of care.
CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients (id),
    received_on         TEXT    NOT NULL,
    source              TEXT    NOT NULL CHECK (source IN ('gp', 'practice_nurse', 'practice_staff', 'hospital', 'mental_health', 'social_care', 'housing', 'vcse', 'self', 'family_carer', 'other')),
    referrer_name       TEXT    NOT NULL DEFAULT '',
    referrer_org        TEXT    NOT NULL DEFAULT '',
    what_matters        TEXT    NOT NULL DEFAULT '',
    priority            TEXT    NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'soon', 'urgent')),
    priority_reason     TEXT    NOT NULL DEFAULT '',
    consent_by          TEXT    NOT NULL DEFAULT '',
    consent_on          TEXT,
    link_worker_id      INTEGER REFERENCES users (id),
    status              TEXT    NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'contacted', 'accepted', 'active', 'closed', 'declined', 'unable_to_contact')),
    status_changed_at   TEXT    NOT NULL,
    first_contact_at    TEXT,
    closed_at           TEXT,
    closing_reason      TEXT CHECK (closing_reason IS NULL OR closing_reason IN ('goals_met', 'moved_away', 'declined_support', 'not_engaging', 'died', 'transferred', 'other')),
    snomed_code         TEXT CHECK (snomed_code IS NULL OR snomed_code IN ('871731000000106', '871711000000103')),
    snomed_recorded_at  TEXT,
    coded_in_gp_record  INTEGER NOT NULL DEFAULT 0 CHECK (coded_in_gp_record IN (0, 1)),
    last_activity_at    TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    created_by          INTEGER REFERENCES users (id),
    updated_at          TEXT    NOT NULL,
    updated_by          INTEGER REFERENCES users (id)
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
    referral_id  INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL CHECK (reason IN ('loneliness', 'money_debt', 'benefits', 'housing', 'employment', 'stress_low_mood', 'low_confidence', 'physical_activity', 'weight', 'long_term_condition', 'carer_support', 'bereavement', 'substance_use', 'other')),
    PRIMARY KEY (referral_id, reason)
);
CREATE INDEX referral_reasons_reason ON referral_reasons (reason, referral_id);

-- Every status move, reassignment and coding of an episode: who, when, why.
CREATE TABLE referral_history (
    id              INTEGER PRIMARY KEY,
    referral_id     INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    at              TEXT    NOT NULL,
    by_user         INTEGER REFERENCES users (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('status', 'reassigned', 'coded')),
    from_status     TEXT,
    to_status       TEXT,
    from_worker_id  INTEGER REFERENCES users (id),
    to_worker_id    INTEGER REFERENCES users (id),
    closing_reason  TEXT,
    reason          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX referral_history_referral ON referral_history (referral_id, at);

CREATE TABLE appointments (
    id             INTEGER PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES users (id),
    patient_id     INTEGER NOT NULL REFERENCES patients (id),
    referral_id    INTEGER REFERENCES referrals (id),
    starts_at      TEXT    NOT NULL,
    ends_at        TEXT    NOT NULL,
    type           TEXT    NOT NULL REFERENCES appointment_types (code),
    mode           TEXT    NOT NULL CHECK (mode IN ('in_person', 'phone', 'video', 'home_visit')),
    site_id        INTEGER REFERENCES sites (id),
    status         TEXT    NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'arrived', 'attended', 'dna', 'cancelled_patient', 'cancelled_practice')),
    notes          TEXT    NOT NULL DEFAULT '',
    cancel_reason  TEXT    NOT NULL DEFAULT '',
    booked_at      TEXT    NOT NULL,
    booked_by      INTEGER REFERENCES users (id),
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER REFERENCES users (id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_worker ON appointments (worker_id, starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_referral ON appointments (referral_id, starts_at);
CREATE INDEX appointments_start ON appointments (starts_at);

-- The community directory.
CREATE TABLE services (
    id                INTEGER PRIMARY KEY,
    external_id       TEXT UNIQUE,
    name              TEXT    NOT NULL CHECK (name <> ''),
    organisation      TEXT    NOT NULL DEFAULT '',
    -- Categories separated by ';' (a fixed list in data/).
    categories        TEXT    NOT NULL DEFAULT '',
    description       TEXT    NOT NULL DEFAULT '',
    address           TEXT    NOT NULL DEFAULT '',
    postcode          TEXT    NOT NULL DEFAULT '',
    phone             TEXT    NOT NULL DEFAULT '',
    email             TEXT    NOT NULL DEFAULT '',
    website           TEXT    NOT NULL DEFAULT '',
    schedule          TEXT    NOT NULL DEFAULT '',
    cost              TEXT    NOT NULL DEFAULT '',
    is_free           INTEGER NOT NULL DEFAULT 1 CHECK (is_free IN (0, 1)),
    access            TEXT    NOT NULL DEFAULT 'self_refer' CHECK (access IN ('drop_in', 'self_refer', 'needs_referral')),
    eligibility       TEXT    NOT NULL DEFAULT '',
    accessibility     TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    last_verified_on  TEXT,
    verified_by       INTEGER REFERENCES users (id),
    created_at        TEXT    NOT NULL,
    created_by        INTEGER REFERENCES users (id),
    updated_at        TEXT    NOT NULL,
    updated_by        INTEGER REFERENCES users (id)
);
CREATE INDEX services_status ON services (status, name);
CREATE INDEX services_verified ON services (last_verified_on);

CREATE VIRTUAL TABLE services_fts USING fts5 (
    name, organisation, description, categories,
    content = 'services', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER services_fts_insert AFTER INSERT ON services BEGIN
    INSERT INTO services_fts (rowid, name, organisation, description, categories)
    VALUES (new.id, new.name, new.organisation, new.description, new.categories);
END;
CREATE TRIGGER services_fts_delete AFTER DELETE ON services BEGIN
    INSERT INTO services_fts (services_fts, rowid, name, organisation, description, categories)
    VALUES ('delete', old.id, old.name, old.organisation, old.description, old.categories);
END;
CREATE TRIGGER services_fts_update AFTER UPDATE ON services BEGIN
    INSERT INTO services_fts (services_fts, rowid, name, organisation, description, categories)
    VALUES ('delete', old.id, old.name, old.organisation, old.description, old.categories);
    INSERT INTO services_fts (rowid, name, organisation, description, categories)
    VALUES (new.id, new.name, new.organisation, new.description, new.categories);
END;

-- A printed social prescription. content holds everything the PDF shows, as
-- issued (JSON), so a reprint is identical.
CREATE TABLE prescriptions (
    id                   INTEGER PRIMARY KEY,
    patient_id           INTEGER NOT NULL REFERENCES patients (id),
    referral_id          INTEGER REFERENCES referrals (id),
    prescriber_id        INTEGER NOT NULL REFERENCES users (id),
    issued_at            TEXT    NOT NULL,
    next_appointment_id  INTEGER REFERENCES appointments (id),
    large_print          INTEGER NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1)),
    content              TEXT    NOT NULL,
    created_by           INTEGER REFERENCES users (id)
);
CREATE INDEX prescriptions_patient ON prescriptions (patient_id, issued_at);
CREATE INDEX prescriptions_referral ON prescriptions (referral_id);

CREATE TABLE prescription_items (
    id               INTEGER PRIMARY KEY,
    prescription_id  INTEGER NOT NULL REFERENCES prescriptions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    service_id       INTEGER REFERENCES services (id),
    service_name     TEXT    NOT NULL,
    note             TEXT    NOT NULL DEFAULT '',
    UNIQUE (prescription_id, position)
);
CREATE INDEX prescription_items_service ON prescription_items (service_id);

CREATE TABLE prescription_prints (
    id               INTEGER PRIMARY KEY,
    prescription_id  INTEGER NOT NULL REFERENCES prescriptions (id),
    printed_at       TEXT    NOT NULL,
    printed_by       INTEGER REFERENCES users (id),
    reprint          INTEGER NOT NULL CHECK (reprint IN (0, 1))
);

-- Contacts and case notes of an episode.
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    referral_id  INTEGER NOT NULL REFERENCES referrals (id),
    at           TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('phone', 'in_person', 'video', 'home_visit', 'message', 'note')),
    minutes      INTEGER NOT NULL DEFAULT 0 CHECK (minutes BETWEEN 0 AND 1440),
    text         TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    created_by   INTEGER REFERENCES users (id)
);
CREATE INDEX contacts_referral ON contacts (referral_id, at);

-- "What I want to change", rated 0-10 at the start and at review.
CREATE TABLE goals (
    id            INTEGER PRIMARY KEY,
    referral_id   INTEGER NOT NULL REFERENCES referrals (id),
    description   TEXT    NOT NULL CHECK (description <> ''),
    start_score   INTEGER NOT NULL CHECK (start_score BETWEEN 0 AND 10),
    set_on        TEXT    NOT NULL,
    review_score  INTEGER CHECK (review_score BETWEEN 0 AND 10),
    reviewed_on   TEXT,
    created_at    TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    updated_at    TEXT    NOT NULL,
    updated_by    INTEGER REFERENCES users (id)
);
CREATE INDEX goals_referral ON goals (referral_id);

-- ONS4 personal wellbeing, each 0-10 (anxiety: lower is better).
CREATE TABLE wellbeing_measures (
    id                 INTEGER PRIMARY KEY,
    referral_id        INTEGER NOT NULL REFERENCES referrals (id),
    stage              TEXT    NOT NULL CHECK (stage IN ('baseline', 'review', 'closure')),
    taken_on           TEXT    NOT NULL,
    life_satisfaction  INTEGER NOT NULL CHECK (life_satisfaction BETWEEN 0 AND 10),
    worthwhile         INTEGER NOT NULL CHECK (worthwhile BETWEEN 0 AND 10),
    happiness          INTEGER NOT NULL CHECK (happiness BETWEEN 0 AND 10),
    anxiety            INTEGER NOT NULL CHECK (anxiety BETWEEN 0 AND 10),
    created_at         TEXT    NOT NULL,
    created_by         INTEGER REFERENCES users (id)
);
CREATE INDEX wellbeing_referral ON wellbeing_measures (referral_id, taken_on);

-- Who did what to which record, when. Append-only.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    action     TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    entity_id  INTEGER,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_events (entity, entity_id);
CREATE INDEX audit_at ON audit_events (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END;
