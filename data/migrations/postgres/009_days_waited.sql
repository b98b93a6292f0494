-- Days waiting on PostgreSQL without julianday() (issue 14). julianday()
-- is an SQL emulation (001) that costs some microseconds a call, and the
-- referrals list sorts by a difference of two of them: sorted by days
-- waiting, a page of the benchmark's referrals took 120 ms. The waits
-- are whole days between two dates, which make_date() works out five
-- times as fast.
--
-- linkwell_day_diff(a, b) is CAST(julianday(a) - julianday(b) AS INTEGER)
-- for every a and b: the plain date difference when both are dates, else
-- that very expression (an instant, a malformed or a missing date). Not
-- STRICT, so that a query's call is inlined and matched with the indexes
-- below.
CREATE FUNCTION linkwell_day_diff(a text, b text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN a ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND b ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
        THEN make_date(substr(a, 1, 4)::integer, substr(a, 6, 2)::integer, substr(a, 9, 2)::integer)
           - make_date(substr(b, 1, 4)::integer, substr(b, 6, 2)::integer, substr(b, 9, 2)::integer)
        ELSE CAST(julianday(a) - julianday(b) AS INTEGER) END;

-- The ended waits (003) and a link worker's open ones (005) by that
-- function, with id after the wait as SQLite's rowid is: the list walks
-- them in its order, ties by id, and stops at the page's end.
DROP INDEX referrals_waited;
CREATE INDEX referrals_waited ON referrals ((linkwell_day_diff(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10)), received_on)), id)
    WHERE first_contact_at IS NOT NULL OR status NOT IN ('received', 'contacted', 'accepted', 'active');
DROP INDEX referrals_open_waited;
CREATE INDEX referrals_open_waited ON referrals (link_worker_id, (linkwell_day_diff(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10)), received_on)), id)
    WHERE first_contact_at IS NOT NULL AND status IN ('received', 'contacted', 'accepted', 'active');
