-- 10_catalogue.sql: seed catalogue: administrations, the four Idarati pilot sites, request categories.
--
-- REVIEW NEEDED: the Tamazight (name_zgh, Tifinagh) names are careful drafts (official
-- IRCAM-style wording where it is known, otherwise translation or transliteration); they
-- must be reviewed by a native speaker before going to citizens.
--
-- Sources: the administrations are the bodies named in Morocco's OGP action plan 2018-2020
-- (shared/seeds/000_*.txt) as responsible for a commitment or as a partner in one, plus the
-- bodies citizens meet at the four pilot sites of commitment 9 and the two instances of
-- law 31.13 (CDAI, Mediateur). Arabic names follow the document where it names the body.
-- Codes are stable ASCII ids referenced by requests: never rename one, add a new one.
-- Loaded with INSERT OR IGNORE: an operator's edits survive a re-seed.
-- Byte limits of the store (bw_store.h): names < 256 bytes, officer < 128, city < 64.

-- Administrations ---------------------------------------------------------------------
-- Responsible bodies of the plan's commitment cards:
--   MRAFP (1, 2, 4, 6, 8, 9, 10, 18), ARCHIVES (3), SEDD (5), ICPC (7), MEF (11, and 12
--   through its Direction du budget), MCRPSC (13-17).
-- Partners named in the cards: DGAPR (3), HCP (4), DGSN and ADII (7).
INSERT OR IGNORE INTO administrations (code, name_ar, name_fr, name_zgh, officer) VALUES
('MRAFP',
 'وزارة إصلاح الإدارة والوظيفة العمومية',
 'Ministère de la Réforme de l''Administration et de la Fonction Publique',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵓⵙⵏⴼⵍⵓⵍ ⵏ ⵜⵏⴱⴰⴹⵜ ⴷ ⵜⵡⵓⵔⵉ ⵜⴰⴳⴷⵓⴷⴰⵏⵜ',
 'Information officer / الشخص المكلف بالمعلومات'),
('ARCHIVES',
 'مؤسسة أرشيف المغرب',
 'Archives du Maroc',
 'ⵜⴰⵙⵏⵙⵜ ⵏ ⵡⴰⵔⵛⵉⴼ ⵏ ⵍⵎⵖⵔⵉⴱ',
 'Information officer / الشخص المكلف بالمعلومات'),
('SEDD',
 'كتابة الدولة المكلفة بالتنمية المستدامة',
 'Secrétariat d''État chargé du Développement Durable',
 'ⵜⴰⴽⴰⵜⴱⵉⵜ ⵏ ⵓⵡⴰⵏⴽ ⵉ ⵓⵏⴼⵍⵓ ⵉⴷⵓⵎⵏ',
 'Information officer / الشخص المكلف بالمعلومات'),
('ICPC',
 'الهيئة المركزية للوقاية من الرشوة',
 'Instance Centrale de Prévention de la Corruption',
 'ⵜⴰⵏⴰⴱⴰⴹⵜ ⵜⴰⵏⴰⵎⵎⴰⵙⵜ ⵏ ⵓⵙⵎⵓⵙⵙⵓ ⵏ ⵜⵔⵛⵓⵜ',
 'Information officer / الشخص المكلف بالمعلومات'),
('MEF',
 'وزارة الاقتصاد والمالية',
 'Ministère de l''Économie et des Finances',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⴷⴰⵎⵙⴰ ⴷ ⵜⵙⵏⵓⵔⵏⵉ',
 'Information officer / الشخص المكلف بالمعلومات'),
('MCRPSC',
 'الوزارة المنتدبة لدى رئيس الحكومة المكلفة بالعلاقات مع البرلمان والمجتمع المدني',
 'Ministère délégué chargé des Relations avec le Parlement et la Société Civile',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⵣⴷⴰⵢ ⴷ ⵓⴱⵔⵍⴰⵎⴰⵏ ⴷ ⵓⵏⴰⵎⵓⵏ ⴰⵖⵔⴼⴰⵏ',
 'Information officer / الشخص المكلف بالمعلومات'),
('DGAPR',
 'المندوبية العامة لإدارة السجون وإعادة الإدماج',
 'Délégation Générale à l''Administration Pénitentiaire et à la Réinsertion',
 'ⵜⴰⵎⵏⴷⵓⴱⵜ ⵜⴰⵎⴰⵜⴰⵢⵜ ⵏ ⵜⵏⴱⴰⴹⵜ ⵏ ⵍⵃⴱⵓⵙ ⴷ ⵓⵙⵏⴽⵛⵎ ⴰⵎⴰⵢⵏⵓ',
 'Information officer / الشخص المكلف بالمعلومات'),
('HCP',
 'المندوبية السامية للتخطيط',
 'Haut-Commissariat au Plan',
 'ⵜⴰⵎⵏⴷⵓⴱⵜ ⵜⴰⵏⴼⵍⵍⴰⵢⵜ ⵏ ⵓⵙⵖⵟⵟⵓ',
 'Information officer / الشخص المكلف بالمعلومات'),
('DGSN',
 'المديرية العامة للأمن الوطني',
 'Direction Générale de la Sûreté Nationale',
 'ⵜⴰⵎⵀⵍⴰ ⵜⴰⵎⴰⵜⴰⵢⵜ ⵏ ⵜⵍⴰⵍⵜ ⵜⴰⵏⴰⵎⵓⵔⵜ',
 'Information officer / الشخص المكلف بالمعلومات'),
('ADII',
 'إدارة الجمارك والضرائب غير المباشرة',
 'Administration des Douanes et Impôts Indirects',
 'ⵜⴰⵏⴱⴰⴹⵜ ⵏ ⵍⴷⵡⴰⵏⴰ ⴷ ⵜⵉⵖⵔⵉⴼⵉⵏ ⵓⵔ ⵉⵜⵜⵓⵙⵔⴰⴷⵏ',
 'Information officer / الشخص المكلف بالمعلومات'),
-- The two instances of law 31.13 and decree 2.17.265: where a citizen appeals (CDAI) or
-- takes a complaint the administration did not settle (Mediateur).
('CDAI',
 'لجنة الحق في الحصول على المعلومات',
 'Commission du Droit d''Accès à l''Information',
 'ⵜⴰⵙⵇⵇⵉⵎⵜ ⵏ ⵓⵣⵔⴼ ⵏ ⵓⴽⵛⴰⵎ ⵖⵔ ⵜⵏⵖⵎⵉⵙⵉⵏ',
 'Information officer / الشخص المكلف بالمعلومات'),
('MEDIATEUR',
 'مؤسسة الوسيط',
 'Institution du Médiateur du Royaume',
 'ⵜⴰⵙⵏⵙⵜ ⵏ ⵓⵏⴰⵎⵎⴰⵙ ⵏ ⵜⴳⵍⴷⵉⵜ',
 'Information officer / الشخص المكلف بالمعلومات'),
-- Line ministries most citizens deal with, and the administrations of the pilot sites.
('INTERIEUR',
 'وزارة الداخلية',
 'Ministère de l''Intérieur',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵓⴳⵔⵓ',
 'Information officer / الشخص المكلف بالمعلومات'),
('JUSTICE',
 'وزارة العدل',
 'Ministère de la Justice',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⵏⵣⵣⴰⵔⴼⵜ',
 'Information officer / الشخص المكلف بالمعلومات'),
-- Site ELJADIDA-HOP.
('SANTE',
 'وزارة الصحة والحماية الاجتماعية',
 'Ministère de la Santé et de la Protection Sociale',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⴷⵓⵙⵉ ⴷ ⵓⵙⵎⴰⵔⵔⵓ ⴰⵏⴰⵎⵓⵏ',
 'Information officer / الشخص المكلف بالمعلومات'),
-- Site RABAT-IMMAT. Vehicle registration centres were the ministry's in 2018; their
-- operation has since moved to its road safety agency (NARSA), still under this ministry.
('TRANSPORT',
 'وزارة النقل واللوجستيك',
 'Ministère du Transport et de la Logistique',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵓⵙⵎⵓⵜⵜⵉ ⴷ ⵍⵍⵓⵊⵉⵙⵜⵉⴽ',
 'Information officer / الشخص المكلف بالمعلومات'),
-- Site ALGECIRAS-CONS (consular services to Moroccans abroad).
('MAECE',
 'وزارة الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج',
 'Ministère des Affaires Étrangères, de la Coopération Africaine et des Marocains Résidant à l''Étranger',
 'ⵜⴰⵎⴰⵡⴰⵙⵜ ⵏ ⵜⵖⴰⵡⵙⵉⵡⵉⵏ ⵏ ⴱⵕⵕⴰ, ⵜⵓⵎⵓⵏⵜ ⵜⴰⴼⵔⵉⴽⵉⵜ ⴷ ⵉⵎⵖⵔⴰⴱⵉⵢⵏ ⵏ ⴱⵕⵕⴰ',
 'Information officer / الشخص المكلف بالمعلومات');

-- Sites: the four model sites of commitment 9 ("Idarati") ------------------------------
INSERT OR IGNORE INTO sites (code, admin, city, name_ar, name_fr, name_zgh) VALUES
('RABAT-IMMAT', 'TRANSPORT', 'Rabat',
 'مركز تسجيل السيارات بالرباط',
 'Centre d''immatriculation des véhicules de Rabat',
 'ⴰⵏⵙⴰ ⵏ ⵓⵣⵎⵎⴻⵎ ⵏ ⵜⴽⵕⵕⵓⵙⵉⵏ ⴳ ⵕⵕⴱⴰⵟ'),
('ELJADIDA-HOP', 'SANTE', 'El Jadida',
 'المستشفى الإقليمي محمد الخامس بالجديدة',
 'Hôpital provincial Mohammed V d''El Jadida',
 'ⴰⵙⴳⵏⴼⵓ ⵏ ⵜⵙⴳⴰ ⵎⵓⵃⵎⵎⴷ ⵡⵉⵙⵙ 5 ⴳ ⵍⵊⴷⵉⴷⴰ'),
('ALGECIRAS-CONS', 'MAECE', 'Algeciras',
 'القنصلية العامة للمملكة المغربية بالجزيرة الخضراء',
 'Consulat général du Royaume du Maroc à Algésiras',
 'ⵜⴰⵇⵏⵚⵍⵉⵜ ⵜⴰⵎⴰⵜⴰⵢⵜ ⵏ ⵜⴳⵍⴷⵉⵜ ⵏ ⵍⵎⵖⵔⵉⴱ ⴳ ⴰⵍⵅⵉⵙⵉⵔⴰⵙ'),
('CASA-OUKACHA', 'DGAPR', 'Casablanca',
 'سجن عكاشة بعين السبع، الدار البيضاء',
 'Prison d''Oukacha, Aïn Sebaâ, Casablanca',
 'ⵍⵃⴱⵙ ⵏ ⵄⴽⴰⵛⴰ, ⵄⵉⵏ ⵙⵙⴱⵄ, ⴰⵏⴼⴰ');

-- Categories ----------------------------------------------------------------------------
-- kinds is a bit set over enum bw_kind: 1 complaint, 2 observation, 4 suggestion,
-- 8 information request (so 7 = every decree 2.17.265 kind). admin '' = all administrations.
INSERT OR IGNORE INTO categories (code, admin, kinds, name_ar, name_fr, name_zgh) VALUES
('RECEPTION', '', 7,
 'جودة الاستقبال', 'Qualité de l''accueil', 'ⵜⴰⵖⴰⵔⴰ ⵏ ⵓⵙⵏⵓⴱⴳ'),
('WAITING-TIME', '', 7,
 'مدة الانتظار', 'Temps d''attente', 'ⴰⴽⵓⴷ ⵏ ⵓⵔⵊⵊⵓ'),
-- Commitment 8: the service departs from what was published (an extra document, fee or
-- step is asked); the citizen can act on it, so it is a complaint only.
('SERVICE-NOT-AS-PUBLISHED', '', 1,
 'خدمة غير مطابقة لما تم نشره (وثائق أو رسوم أو مراحل إضافية)',
 'Service non conforme à ce qui est publié (pièces, frais ou étapes en plus)',
 'ⵜⴰⵏⴰⴼⵓⵜ ⵓⵔ ⵉⵎⵙⴰⵙⴰⵏ ⴷ ⵎⴰ ⵉⵜⵜⵓⵙⵙⵓⴼⵖⵏ'),
('DELAY', '', 7,
 'التأخر في معالجة الطلبات', 'Retard dans le traitement', 'ⴰⵙⵎⴰⵜⵜⵍ ⴳ ⵓⵙⵎⵓⵜⵜⴳ ⵏ ⵉⵙⵓⵜⵔⵏ'),
('STAFF-BEHAVIOUR', '', 7,
 'سلوك الموظفين', 'Comportement du personnel', 'ⵜⵉⴽⵍⵉ ⵏ ⵉⵎⵙⵡⵓⵔⵉⵢⵏ'),
('ACCESSIBILITY', '', 7,
 'الولوجيات وسهولة الوصول', 'Accès et accessibilité', 'ⴰⴽⵛⴰⵎ ⴷ ⵜⵉⴼⵔⵉⵙⵉⵏ ⵏ ⵓⴽⵛⴰⵎ'),
('DIGITAL-SERVICES', '', 7,
 'الخدمات الرقمية', 'Services numériques', 'ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵜⵉⵏⵓⵎⴰⴹⵉⵏ'),
-- Commitment 7 (integrity): a bribe or favour asked.
('INTEGRITY', '', 3,
 'النزاهة (طلب رشوة أو محاباة)', 'Intégrité (pot-de-vin ou favoritisme)', 'ⵜⴰⵏⵣⴰⵀⵜ (ⵜⴰⵔⵛⵓⵜ)'),
('OTHER', '', 7,
 'أخرى', 'Autre', 'ⵢⴰⴹⵏ'),
-- Information requests (law 31.13).
('INFO-DOCUMENTS', '', 8,
 'وثائق إدارية', 'Documents administratifs', 'ⵉⵙⴷⵍⵙⵏ ⵉⵏⴱⴰⴹⵏ'),
('INFO-STATISTICS', '', 8,
 'إحصائيات ومعطيات', 'Statistiques et données', 'ⵜⵉⵙⵏⴰⴽⵜⵉⵡⵉⵏ ⴷ ⵉⵙⵎⴼⴰⵔⵏ'),
('INFO-BUDGET', '', 8,
 'الميزانية والنفقات', 'Budget et dépenses', 'ⵜⴰⵙⴷⵍⵉⵙⵜ ⴷ ⵉⵙⵎⵓⵙⵙⵓⵜⵏ'),
('INFO-PROCEDURES', '', 8,
 'المساطر والإجراءات', 'Procédures et démarches', 'ⵜⵉⴱⵔⵉⴷⵉⵏ ⴷ ⵜⵓⴳⴳⵉⵡⵉⵏ'),
('INFO-OTHER', '', 8,
 'معلومات أخرى', 'Autre information', 'ⵜⵉⵏⵖⵎⵉⵙⵉⵏ ⵢⴰⴹⵏ'),
-- Per administration: the services of the pilot sites.
('IMMAT-CARD', 'TRANSPORT', 7,
 'البطاقة الرمادية (تسجيل المركبات)', 'Carte grise (immatriculation)', 'ⵜⴰⴽⴰⵕⴹⴰ ⵜⴰⵣⵓⵍⵖⴰⵏⵜ (ⴰⵣⵎⵎⴻⵎ ⵏ ⵜⴽⵕⵕⵓⵙⵉⵏ)'),
('DRIVING-LICENCE', 'TRANSPORT', 7,
 'رخصة السياقة', 'Permis de conduire', 'ⵜⵉⵙⵓⵔⴰ ⵏ ⵓⵏⵀⴰⵔ'),
('HOSP-APPOINTMENTS', 'SANTE', 7,
 'المواعيد', 'Rendez-vous', 'ⵉⵎⵙⵏⴰⵎⵎⴰⵙⵏ'),
('HOSP-EMERGENCY', 'SANTE', 7,
 'المستعجلات', 'Urgences', 'ⵜⵉⵎⵥⴹⴰⵢⵉⵏ'),
('HOSP-BILLING', 'SANTE', 7,
 'الفوترة والأداء', 'Facturation et paiement', 'ⴰⴼⴰⴽⵜⵓⵔ ⴷ ⵓⵅⵍⵍⵚ'),
('CONS-PASSPORT', 'MAECE', 7,
 'جواز السفر', 'Passeport', 'ⴰⵙⴽⵍⵉⵍ ⵏ ⵓⵎⵓⴷⴷⵓ'),
('CONS-CIVIL-STATUS', 'MAECE', 7,
 'الحالة المدنية', 'État civil', 'ⴰⴷⴷⴰⴷ ⴰⵖⵔⴼⴰⵏ'),
('CONS-CNIE', 'MAECE', 7,
 'البطاقة الوطنية للتعريف الإلكترونية', 'Carte nationale d''identité électronique', 'ⵜⴰⴽⴰⵕⴹⴰ ⵜⴰⵏⴰⵎⵓⵔⵜ ⵏ ⵜⵎⴰⴳⵉⵜ'),
('PRISON-VISITS', 'DGAPR', 7,
 'الزيارات', 'Visites', 'ⵜⵉⵔⵣⴼⵉⵏ'),
('PRISON-DEPOSITS', 'DGAPR', 7,
 'إيداع المبالغ المالية لفائدة النزلاء', 'Dépôts d''argent au profit des détenus', 'ⴰⵙⵔⵙ ⵏ ⵢⵉⴷⵔⵉⵎⵏ ⵉ ⵉⵎⵃⴱⴰⵙ');
