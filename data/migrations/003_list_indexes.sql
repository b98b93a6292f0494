-- What the list screens need to read about a page's worth of rows, however
-- many patients and referrals the database holds (issue 12). The queries
-- that use these are in data/referral_list.go and data/patients.go.

-- Patient search lists by family name, given name, date of birth, then id.
-- With the date of birth in the name indexes (id is in every index), a
-- search walks an index in that order and stops after the page.
DROP INDEX patients_family;
CREATE INDEX patients_family ON patients (family_key, given_key, date_of_birth);
DROP INDEX patients_given;
CREATE INDEX patients_given ON patients (given_key, family_key, date_of_birth);

-- The referrals list's text filter finds a word anywhere in the names
-- ("bri" finds Ó Briain): the name indexes find the first word of each
-- name, this one the few patients whose names have more words.
CREATE INDEX patients_many_words ON patients (given_key, family_key)
    WHERE instr(given_key, ' ') > 0 OR instr(family_key, ' ') > 0;

-- Patients without an NHS number (most came by self-referral): sorted by
-- NHS number, the referrals list shows theirs first.
CREATE INDEX patients_no_nhs ON patients (id) WHERE nhs_number IS NULL;

-- The referrals list walks one index in the order it shows, id breaking
-- ties, and stops when the page is full. Received and last activity have
-- theirs already (referrals_received, referrals_activity). The link
-- worker's is on an expression (0: nobody) so that no other query takes it
-- instead of referrals_worker.
CREATE INDEX referrals_source_order ON referrals (source);
CREATE INDEX referrals_worker_order ON referrals (coalesce(link_worker_id, 0));
CREATE INDEX referrals_status_order ON referrals (CASE status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2
    WHEN 'accepted' THEN 3 WHEN 'active' THEN 4 WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END);

-- What the list's filters test on a referral found through its reasons,
-- without reading the whole row: counting the referrals of a reason reads
-- this narrow copy, about twice as fast.
CREATE INDEX referrals_narrow ON referrals (id, status, received_on, link_worker_id, source, patient_id);

-- Days waiting: once first contact is made, or the episode ends without
-- one, the wait is fixed and can be indexed. The few still waiting count
-- up to today; they are read through the second index and sorted.
CREATE INDEX referrals_waited ON referrals (CAST(julianday(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10))) - julianday(received_on) AS INTEGER))
    WHERE first_contact_at IS NOT NULL OR status NOT IN ('received', 'contacted', 'accepted', 'active');
CREATE INDEX referrals_still_waiting ON referrals (received_on)
    WHERE first_contact_at IS NULL AND status IN ('received', 'contacted', 'accepted', 'active');

-- How many referrals each link worker (0: nobody) has in each status from
-- each source. The pipeline above the list and its total read these few
-- rows instead of counting every referral; the triggers keep them exact.
CREATE TABLE referral_counts (
    status          TEXT    NOT NULL,
    link_worker_id  INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (status, link_worker_id, source)
) WITHOUT ROWID;
INSERT INTO referral_counts (status, link_worker_id, source, n)
    SELECT status, coalesce(link_worker_id, 0), source, count(*) FROM referrals GROUP BY 1, 2, 3;
CREATE TRIGGER referral_counts_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_counts (status, link_worker_id, source, n)
        VALUES (new.status, coalesce(new.link_worker_id, 0), new.source, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referral_counts_delete AFTER DELETE ON referrals BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE status = old.status AND link_worker_id = coalesce(old.link_worker_id, 0) AND source = old.source;
END;
CREATE TRIGGER referral_counts_update AFTER UPDATE OF status, link_worker_id, source ON referrals
    WHEN old.status IS NOT new.status OR old.link_worker_id IS NOT new.link_worker_id OR old.source IS NOT new.source
BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE status = old.status AND link_worker_id = coalesce(old.link_worker_id, 0) AND source = old.source;
    INSERT INTO referral_counts (status, link_worker_id, source, n)
        VALUES (new.status, coalesce(new.link_worker_id, 0), new.source, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
