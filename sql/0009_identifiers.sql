-- 0009_identifiers: one form of every email address, wherever it is stored
-- or looked up (core/validate.c, validate_email): the local part and the
-- domain in Unicode lower case (NFC), an internationalized domain in its
-- Unicode form ("Анна@Пример.РФ" and "анна@xn--e1afmkfd.xn--p1ai" are both
-- "анна@пример.рф"). Rows written before are brought to that form here, and
-- the unique index compares the stored form itself (no lower()).

-- RFC 3492 punycode decoding of one label's part after "xn--". Written
-- here because the migration runs in SQL; the core itself uses libidn2.
-- NULL for a label that is not valid punycode (it is then left as it is).
CREATE FUNCTION pg_temp.punycode_decode(p text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    base CONSTANT int := 36; tmin CONSTANT int := 1; tmax CONSTANT int := 26;
    skew CONSTANT int := 38; damp CONSTANT int := 700;
    n bigint := 128; i bigint := 0; bias int := 72;
    output int[] := '{}';
    b int; pos int; oldi bigint; w bigint; k int; digit int; t int; c int;
    delta bigint; numpoints int; first boolean; kk int;
BEGIN
    b := length(p) - position('-' IN reverse(p));  -- characters before the last '-'
    IF position('-' IN p) = 0 THEN
        b := 0;
    END IF;
    FOR j IN 1 .. b LOOP
        IF ascii(substr(p, j, 1)) >= 128 THEN
            RETURN NULL;
        END IF;
        output := output || ascii(substr(p, j, 1));
    END LOOP;
    pos := CASE WHEN b > 0 THEN b + 2 ELSE 1 END;
    WHILE pos <= length(p) LOOP
        oldi := i; w := 1; k := base;
        LOOP
            IF pos > length(p) THEN
                RETURN NULL;
            END IF;
            c := ascii(substr(p, pos, 1));
            pos := pos + 1;
            digit := CASE WHEN c BETWEEN 48 AND 57 THEN c - 22
                          WHEN c BETWEEN 65 AND 90 THEN c - 65
                          WHEN c BETWEEN 97 AND 122 THEN c - 97
                          ELSE NULL END;
            IF digit IS NULL THEN
                RETURN NULL;
            END IF;
            i := i + digit * w;
            t := CASE WHEN k <= bias THEN tmin WHEN k >= bias + tmax THEN tmax ELSE k - bias END;
            EXIT WHEN digit < t;
            w := w * (base - t);
            k := k + base;
            IF i > 2147483647 OR w > 2147483647 THEN
                RETURN NULL;
            END IF;
        END LOOP;
        -- adapt the bias
        numpoints := coalesce(array_length(output, 1), 0) + 1;
        first := oldi = 0;
        delta := CASE WHEN first THEN (i - oldi) / damp ELSE (i - oldi) / 2 END;
        delta := delta + delta / numpoints;
        kk := 0;
        WHILE delta > ((base - tmin) * tmax) / 2 LOOP
            delta := delta / (base - tmin);
            kk := kk + base;
        END LOOP;
        bias := kk + ((base - tmin + 1) * delta) / (delta + skew);
        n := n + i / numpoints;
        i := i % numpoints;
        IF n > 1114111 OR n BETWEEN 55296 AND 57343 THEN
            RETURN NULL;
        END IF;
        output := output[1:i] || n::int || output[i + 1:];
        i := i + 1;
    END LOOP;
    RETURN (SELECT string_agg(chr(x), '' ORDER BY o) FROM unnest(output) WITH ORDINALITY AS u(x, o));
END
$$;

-- The canonical form of an address (NULL stays NULL).
CREATE FUNCTION pg_temp.canonical_email(e text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN e IS NULL OR position('@' IN e) = 0 THEN e ELSE
        normalize(lower(split_part(e, '@', 1)), NFC) || '@' ||
        (SELECT string_agg(CASE WHEN lower(l) LIKE 'xn--%'
                                THEN coalesce(normalize(lower(pg_temp.punycode_decode(substr(l, 5))), NFC),
                                              lower(l))
                                ELSE normalize(lower(l), NFC) END, '.' ORDER BY o)
           FROM unnest(string_to_array(split_part(e, '@', 2), '.')) WITH ORDINALITY AS d(l, o))
    END
$$;

-- Users: every row to its canonical form, unless another cabinet of the
-- tenant already has that form (two spellings of one address; the
-- operator must merge them, the migration does not guess).
DROP INDEX users_email;
UPDATE users u SET email = pg_temp.canonical_email(u.email)
 WHERE u.email IS NOT NULL AND u.email <> pg_temp.canonical_email(u.email)
   AND NOT EXISTS (SELECT 1 FROM users o WHERE o.tenant_id = u.tenant_id AND o.id <> u.id
                     AND pg_temp.canonical_email(o.email) = pg_temp.canonical_email(u.email));
CREATE UNIQUE INDEX users_email ON users (tenant_id, email) WHERE email IS NOT NULL;

UPDATE connections SET responsible_email = pg_temp.canonical_email(responsible_email)
 WHERE responsible_email <> pg_temp.canonical_email(responsible_email);
UPDATE employees SET email = pg_temp.canonical_email(email)
 WHERE email IS NOT NULL AND email <> pg_temp.canonical_email(email);
