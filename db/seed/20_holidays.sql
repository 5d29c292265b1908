-- 20_holidays.sql: seed holiday table 2024-2030: fixed national holidays, Islamic holidays, exceptional days off.
--
-- Working days are Monday-Friday; a day in this table is not a working day (deadlines of
-- law 31.13 count working days). The table is editable by an operator and loaded with
-- INSERT OR IGNORE, so a correction made in the database is kept on a re-seed.
--
-- Fixed holidays (islamic = 0, confirmed = 1): 1 Jan, 11 Jan, 14 Jan (Amazigh New Year,
-- public holiday since 2024), 1 May, 30 Jul, 14 Aug, 20 Aug, 21 Aug, 31 Oct, 6 Nov, 18 Nov.
-- 31 Oct (Aid al-Wahda) was instituted by the royal decision of 4 November 2025, after that
-- year's 31 October had passed: the first 31 October off is 2026, so 2025 has no row.
--
-- Islamic holidays (islamic = 1): 1-2 Shawwal (Eid al-Fitr), 10-11 Dhu al-Hijja (Eid
-- al-Adha), 1 Muharram (Hijri New Year), 12-13 Rabi' al-Awwal (Mawlid). Morocco fixes each
-- month by its own moon sighting, announced by the Ministry of Habous a day or so before.
--   confirmed = 1: observed in Morocco as announced (2024 and 2025).
--   confirmed = 0: expected date only. From 2026 on, each date is the Umm al-Qura date
--   plus one day (Morocco's sighting usually falls one day after Saudi Arabia's; that held
--   for every holiday of 2024-2025 but Eid al-Fitr 2024). The 2026 dates are in the past
--   but were not checked against the announcements: an operator must confirm or correct
--   them, and each later one when it is announced.
-- Consecutive years' Eid al-Fitr moves 10-12 days earlier (the lunar year is ~354 days).
-- When an Islamic day falls on a fixed holiday the day is one row with the names joined by
-- " / " (islamic = 0: the day is off whatever the moon says); none does in 2024-2030.
--
-- Exceptional days off (islamic = 0) decided by the Head of Government for the State's
-- administrations and local authorities: Friday 12 April 2024 (after Eid al-Fitr) and
-- Monday 9 June 2025 (Eid al-Adha fell on a Saturday).

-- Each holiday is written once below: the exceptional days as rows, the fixed holidays by
-- month and day with the first year they apply, the Islamic holidays by the first day of
-- each feast in each year. INSERT OR IGNORE keeps the first row written for a day, so a
-- day that is both an Islamic and a fixed holiday is written, names joined, among the
-- exceptional days (they are inserted first).

-- exceptional days off, and days that are two holidays at once
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2024-04-12', 'عطلة استثنائية بمناسبة عيد الفطر', 'Congé exceptionnel (Aïd al-Fitr)', 0, 1),
('2025-06-09', 'عطلة استثنائية بمناسبة عيد الأضحى', 'Congé exceptionnel (Aïd al-Adha)', 0, 1);

-- fixed holidays (islamic = 0, confirmed = 1) of every year from `since` to 2030
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed)
WITH RECURSIVE years(y) AS (SELECT 2024 UNION ALL SELECT y + 1 FROM years WHERE y < 2030),
fixed(md, name_ar, name_fr, since) AS (VALUES
	('01-01', 'رأس السنة الميلادية', 'Nouvel An', 2024),
	('01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 2024),
	('01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 2024),
	('05-01', 'عيد الشغل', 'Fête du Travail', 2024),
	('07-30', 'عيد العرش', 'Fête du Trône', 2024),
	('08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 2024),
	('08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 2024),
	('08-21', 'عيد الشباب', 'Fête de la Jeunesse', 2024),
	('10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 2026),
	('11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 2024),
	('11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 2024))
SELECT y || '-' || md, name_ar, name_fr, 0, 1 FROM years JOIN fixed ON y >= since;

-- Islamic holidays (islamic = 1), by year: the first day of Eid al-Fitr, Eid al-Adha, the
-- Hijri New Year and the Mawlid, observed (confirmed = 1) or expected (confirmed = 0); each
-- Eid and the Mawlid last two days
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed)
WITH years(fitr, adha, muharram, mawlid, confirmed) AS (VALUES
	('2024-04-10', '2024-06-17', '2024-07-08', '2024-09-16', 1),
	('2025-03-31', '2025-06-07', '2025-06-27', '2025-09-05', 1),
	('2026-03-21', '2026-05-28', '2026-06-17', '2026-08-26', 0),
	('2027-03-10', '2027-05-17', '2027-06-07', '2027-08-15', 0),
	('2028-02-27', '2028-05-06', '2028-05-26', '2028-08-04', 0),
	('2029-02-15', '2029-04-25', '2029-05-15', '2029-07-25', 0),
	('2030-02-05', '2030-04-14', '2030-05-05', '2030-07-14', 0)),
feasts(day, name_ar, name_fr, confirmed) AS (
	SELECT fitr, 'عيد الفطر', 'Aïd al-Fitr', confirmed FROM years
	UNION ALL SELECT adha, 'عيد الأضحى', 'Aïd al-Adha', confirmed FROM years
	UNION ALL SELECT mawlid, 'عيد المولد النبوي', 'Aïd al-Mawlid', confirmed FROM years)
SELECT day, name_ar || ' (اليوم الأول)', name_fr || ' (1er jour)', 1, confirmed FROM feasts
UNION ALL SELECT date(day, '+1 day'), name_ar || ' (اليوم الثاني)', name_fr || ' (2e jour)', 1, confirmed FROM feasts
UNION ALL SELECT muharram, 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, confirmed
	FROM years;
