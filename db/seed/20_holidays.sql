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

-- 2024
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2024-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2024-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2024-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2024-04-10', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 1),
('2024-04-11', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 1),
('2024-04-12', 'عطلة استثنائية بمناسبة عيد الفطر', 'Congé exceptionnel (Aïd al-Fitr)', 0, 1),
('2024-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2024-06-17', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 1),
('2024-06-18', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 1),
('2024-07-08', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 1),
('2024-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2024-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2024-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2024-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2024-09-16', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 1),
('2024-09-17', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 1),
('2024-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2024-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2025
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2025-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2025-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2025-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2025-03-31', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 1),
('2025-04-01', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 1),
('2025-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2025-06-07', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 1),
('2025-06-08', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 1),
('2025-06-09', 'عطلة استثنائية بمناسبة عيد الأضحى', 'Congé exceptionnel (Aïd al-Adha)', 0, 1),
('2025-06-27', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 1),
('2025-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2025-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2025-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2025-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2025-09-05', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 1),
('2025-09-06', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 1),
('2025-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2025-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2026
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2026-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2026-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2026-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2026-03-21', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 0),
('2026-03-22', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 0),
('2026-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2026-05-28', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 0),
('2026-05-29', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 0),
('2026-06-17', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 0),
('2026-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2026-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2026-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2026-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2026-08-26', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 0),
('2026-08-27', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 0),
('2026-10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 0, 1),
('2026-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2026-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2027
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2027-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2027-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2027-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2027-03-10', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 0),
('2027-03-11', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 0),
('2027-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2027-05-17', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 0),
('2027-05-18', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 0),
('2027-06-07', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 0),
('2027-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2027-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2027-08-15', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 0),
('2027-08-16', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 0),
('2027-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2027-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2027-10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 0, 1),
('2027-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2027-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2028
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2028-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2028-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2028-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2028-02-27', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 0),
('2028-02-28', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 0),
('2028-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2028-05-06', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 0),
('2028-05-07', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 0),
('2028-05-26', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 0),
('2028-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2028-08-04', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 0),
('2028-08-05', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 0),
('2028-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2028-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2028-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2028-10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 0, 1),
('2028-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2028-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2029
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2029-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2029-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2029-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2029-02-15', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 0),
('2029-02-16', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 0),
('2029-04-25', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 0),
('2029-04-26', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 0),
('2029-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2029-05-15', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 0),
('2029-07-25', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 0),
('2029-07-26', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 0),
('2029-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2029-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2029-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2029-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2029-10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 0, 1),
('2029-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2029-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);

-- 2030
INSERT OR IGNORE INTO holidays (day, name_ar, name_fr, islamic, confirmed) VALUES
('2030-01-01', 'رأس السنة الميلادية', 'Nouvel An', 0, 1),
('2030-01-11', 'ذكرى تقديم وثيقة الاستقلال', 'Manifeste de l''Indépendance', 0, 1),
('2030-01-14', 'رأس السنة الأمازيغية', 'Nouvel An amazigh (Id Yennayer)', 0, 1),
('2030-02-05', 'عيد الفطر (اليوم الأول)', 'Aïd al-Fitr (1er jour)', 1, 0),
('2030-02-06', 'عيد الفطر (اليوم الثاني)', 'Aïd al-Fitr (2e jour)', 1, 0),
('2030-04-14', 'عيد الأضحى (اليوم الأول)', 'Aïd al-Adha (1er jour)', 1, 0),
('2030-04-15', 'عيد الأضحى (اليوم الثاني)', 'Aïd al-Adha (2e jour)', 1, 0),
('2030-05-01', 'عيد الشغل', 'Fête du Travail', 0, 1),
('2030-05-05', 'فاتح محرم (رأس السنة الهجرية)', 'Nouvel An de l''Hégire (1er Moharram)', 1, 0),
('2030-07-14', 'عيد المولد النبوي (اليوم الأول)', 'Aïd al-Mawlid (1er jour)', 1, 0),
('2030-07-15', 'عيد المولد النبوي (اليوم الثاني)', 'Aïd al-Mawlid (2e jour)', 1, 0),
('2030-07-30', 'عيد العرش', 'Fête du Trône', 0, 1),
('2030-08-14', 'ذكرى استرجاع إقليم وادي الذهب', 'Allégeance de Oued Ed-Dahab', 0, 1),
('2030-08-20', 'ذكرى ثورة الملك والشعب', 'Révolution du Roi et du Peuple', 0, 1),
('2030-08-21', 'عيد الشباب', 'Fête de la Jeunesse', 0, 1),
('2030-10-31', 'عيد الوحدة', 'Fête de l''Unité (Aïd al-Wahda)', 0, 1),
('2030-11-06', 'ذكرى المسيرة الخضراء', 'Anniversaire de la Marche Verte', 0, 1),
('2030-11-18', 'عيد الاستقلال', 'Fête de l''Indépendance', 0, 1);
