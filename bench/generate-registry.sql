-- Bench data for the registry at scale, on the migrated schema (0007_registry): ~100 OPDs, one
-- managed zone example-kab.go.id, :servers servers, one public /16 IPv4 pool 10.20.0.0/16 and
-- :websites websites with their DNS names. Websites that are active or suspended (four in five)
-- hold an address in the pool (kind 'website'), packed from the bottom of the block with no holes
-- after the gateway 10.20.0.1 — the worst case for a search that starts at the bottom. The pool's
-- next_hint is left where the service would leave it: just above the last address handed out.
--
-- Addresses are numbers as in src/registry/ip.ts: a.b.c.d = a*2^24 + b*2^16 + c*2^8 + d; the usable
-- range of a /16 is network+1 … broadcast−1.

-- OPDs: the agencies (dinas, badan, bagian) and every kecamatan.
INSERT INTO opds (code, name)
SELECT v.code, v.name
FROM (VALUES
  ('DINKES', 'Dinas Kesehatan'), ('DISDIK', 'Dinas Pendidikan'), ('DISHUB', 'Dinas Perhubungan'),
  ('DISKOMINFO', 'Dinas Komunikasi dan Informatika'), ('DISPERINDAG', 'Dinas Perindustrian dan Perdagangan'),
  ('DISPERTA', 'Dinas Pertanian'), ('DISPARBUD', 'Dinas Pariwisata dan Kebudayaan'),
  ('DISDUKCAPIL', 'Dinas Kependudukan dan Pencatatan Sipil'), ('DINSOS', 'Dinas Sosial'),
  ('DISNAKER', 'Dinas Tenaga Kerja'), ('DLH', 'Dinas Lingkungan Hidup'), ('DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'),
  ('DPMPTSP', 'Dinas Penanaman Modal dan PTSP'), ('DPMD', 'Dinas Pemberdayaan Masyarakat dan Desa'),
  ('DISPORA', 'Dinas Pemuda dan Olahraga'), ('DISPERKIM', 'Dinas Perumahan dan Kawasan Permukiman'),
  ('DISKANLA', 'Dinas Perikanan dan Kelautan'), ('DISKOPUKM', 'Dinas Koperasi dan UKM'),
  ('DISARPUS', 'Dinas Kearsipan dan Perpustakaan'), ('DP3AKB', 'Dinas Pemberdayaan Perempuan dan KB'),
  ('DAMKAR', 'Dinas Pemadam Kebakaran'), ('SATPOLPP', 'Satuan Polisi Pamong Praja'),
  ('BAPPEDA', 'Badan Perencanaan Pembangunan Daerah'), ('BKPSDM', 'Badan Kepegawaian dan PSDM'),
  ('BPKAD', 'Badan Pengelolaan Keuangan dan Aset Daerah'), ('BAPENDA', 'Badan Pendapatan Daerah'),
  ('BPBD', 'Badan Penanggulangan Bencana Daerah'), ('KESBANGPOL', 'Badan Kesatuan Bangsa dan Politik'),
  ('INSPEKTORAT', 'Inspektorat Daerah'), ('SETDA', 'Sekretariat Daerah'), ('SETWAN', 'Sekretariat DPRD'),
  ('BAG-HUKUM', 'Bagian Hukum'), ('BAG-ORGANISASI', 'Bagian Organisasi'), ('BAG-PBJ', 'Bagian Pengadaan Barang dan Jasa'),
  ('BAG-PROKOPIM', 'Bagian Protokol dan Komunikasi Pimpinan'), ('RSUD', 'Rumah Sakit Umum Daerah')
) v(code, name)
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE bench_places (i int PRIMARY KEY, name text NOT NULL);
INSERT INTO bench_places
SELECT row_number() OVER () - 1, p
FROM unnest(ARRAY[
  'sukamaju', 'sukasari', 'sukajadi', 'sukamulya', 'sukaresmi', 'sukaraja', 'sukamanah', 'sukawangi',
  'cibeber', 'cikarang', 'cimanggu', 'cipanas', 'cisarua', 'cileungsi', 'cibadak', 'cicurug',
  'cidahu', 'cijeruk', 'cikembar', 'cilaku', 'ciranjang', 'cugenang', 'pacet', 'warungkondang',
  'margahayu', 'mekarsari', 'mekarjaya', 'mekarwangi', 'sindangsari', 'sindanglaya', 'karangsari',
  'karangtengah', 'karangmulya', 'jayamukti', 'jayagiri', 'tanjungsari', 'tanjungjaya', 'sirnagalih',
  'sirnarasa', 'girimulya', 'bojongsari', 'bojonggenteng', 'babakan', 'pasirjaya', 'pasirhalang',
  'gunungsari', 'gununghalu', 'neglasari', 'rancabali', 'rancaekek', 'wanasari', 'wanayasa',
  'padasuka', 'padaherang', 'legok', 'lembang', 'parongpong', 'ciwidey', 'pangalengan', 'banjaran',
  'soreang', 'katapang', 'dayeuhkolot', 'baleendah', 'majalaya', 'ciparay', 'pameungpeuk', 'arjasari',
  'cimaung', 'kertasari', 'pacitan', 'nagreg', 'cicalengka', 'cikancung', 'solokanjeruk', 'paseh',
  'ibun', 'cangkuang', 'kutawaringin', 'cililin', 'sindangkerta', 'batujajar', 'cipongkor',
  'cihampelas', 'margaasih', 'bojongsoang', 'cileunyi', 'cimenyan', 'cilengkrang', 'jatinangor',
  'tanjungsiang', 'cibogo', 'kadugede', 'ciawigebang', 'luragung', 'cilimus', 'jalaksana',
  'mandirancan', 'pancalang', 'kramatmulya'
]) p;

-- The kecamatan: one OPD each, for the first 64 places.
INSERT INTO opds (code, name)
SELECT 'KEC-' || upper(name), 'Kecamatan ' || initcap(name) FROM bench_places WHERE i < 64
ON CONFLICT DO NOTHING;

INSERT INTO dns_zones (name, notes) VALUES ('example-kab.go.id', 'Zona utama pemerintah kabupaten')
ON CONFLICT DO NOTHING;

-- What a website is for: a label prefix, the purpose (with {place} and {k}), and the usual CMS.
CREATE TEMP TABLE bench_kinds (i int PRIMARY KEY, prefix text, purpose text, cms text);
INSERT INTO bench_kinds VALUES
  (0, 'desa', 'Website resmi Desa {place}', 'wordpress'),
  (1, 'sdn', 'Website SD Negeri {k} {place}', 'wordpress'),
  (2, 'smpn', 'Website SMP Negeri {k} {place}', 'wordpress'),
  (3, 'pkm', 'Sistem Informasi Puskesmas {place}', 'laravel'),
  (4, 'kec', 'Portal Kecamatan {place}', 'wordpress'),
  (5, 'kel', 'Website Kelurahan {place}', 'wordpress'),
  (6, 'ppid', 'Portal PPID Pembantu {place}', 'joomla'),
  (7, 'posyandu', 'Pendataan Posyandu {place}', 'codeigniter'),
  (8, 'bumdes', 'Toko daring BUMDes {place}', 'woocommerce'),
  (9, 'wisata', 'Informasi Desa Wisata {place}', 'wordpress'),
  (10, 'sipd', 'Sistem Informasi Pembangunan Daerah {place}', 'laravel'),
  (11, 'jdih', 'Jaringan Dokumentasi dan Informasi Hukum {place}', 'laravel'),
  (12, 'simpeg', 'Sistem Informasi Kepegawaian {place}', 'codeigniter'),
  (13, 'lapor', 'Layanan Aspirasi dan Pengaduan {place}', 'laravel'),
  (14, 'perpus', 'Perpustakaan Digital {place}', 'slims'),
  (15, 'pasar', 'Informasi Harga Pasar {place}', 'codeigniter'),
  (16, 'koperasi', 'Data Koperasi dan UMKM {place}', 'laravel'),
  (17, 'smkn', 'Website SMK Negeri {k} {place}', 'wordpress'),
  (18, 'tk', 'Website TK Pembina {place}', 'wordpress'),
  (19, 'karangtaruna', 'Karang Taruna {place}', 'wordpress'),
  (20, 'pkk', 'Tim Penggerak PKK {place}', 'wordpress'),
  (21, 'absensi', 'Absensi Pegawai {place}', 'laravel'),
  (22, 'elearning', 'Pembelajaran Daring {place}', 'moodle'),
  (23, 'sig', 'Sistem Informasi Geografis {place}', 'geonode'),
  (24, 'opendata', 'Portal Satu Data {place}', 'ckan');

CREATE TEMP TABLE bench_first (i int PRIMARY KEY, name text);
INSERT INTO bench_first SELECT row_number() OVER () - 1, n FROM unnest(ARRAY[
  'Agus', 'Budi', 'Dedi', 'Asep', 'Ujang', 'Cecep', 'Dadang', 'Yayat', 'Iwan', 'Hendra', 'Rudi', 'Eko',
  'Siti', 'Dewi', 'Rina', 'Neneng', 'Euis', 'Yanti', 'Lilis', 'Nurul', 'Wulan', 'Intan', 'Ratna', 'Tuti',
  'Bambang', 'Slamet', 'Wahyu', 'Teguh', 'Fajar', 'Rizki', 'Dian', 'Ayu', 'Sri', 'Endang', 'Ahmad', 'Muhammad'
]) n;
CREATE TEMP TABLE bench_last (i int PRIMARY KEY, name text);
INSERT INTO bench_last SELECT row_number() OVER () - 1, n FROM unnest(ARRAY[
  'Hidayat', 'Setiawan', 'Kurniawan', 'Saputra', 'Permana', 'Nugraha', 'Gunawan', 'Hermawan', 'Suryana',
  'Rahmawati', 'Lestari', 'Wulandari', 'Susanti', 'Handayani', 'Kusumawati', 'Maulana', 'Firmansyah',
  'Ramadhan', 'Pratama', 'Sopian', 'Sumarna', 'Supriatna', 'Sudrajat', 'Mulyadi', 'Rukmana', 'Sobari',
  'Komarudin', 'Hasanah', 'Fitriani', 'Purnama', 'Wijaya'
]) n;

-- Servers: mostly virtual web servers in the NOC, some database and DNS servers, a few retired.
INSERT INTO servers (name, kind, location, os, addresses, roles, capacity_notes, status, notes, created_at, updated_at)
SELECT CASE WHEN g % 20 = 0 THEN 'db-' WHEN g % 250 = 1 THEN 'ns-' ELSE 'web-' END || lpad(g::text, 4, '0'),
       CASE WHEN g % 10 = 0 THEN 'dedicated' WHEN g % 10 < 3 THEN 'shared' ELSE 'virtual' END,
       CASE WHEN g % 7 = 0 THEN 'colocation' WHEN g % 11 = 0 THEN 'cloud' ELSE 'noc' END,
       (ARRAY['Ubuntu 22.04 LTS', 'Ubuntu 24.04 LTS', 'Debian 12', 'Rocky Linux 9', 'AlmaLinux 9'])[1 + g % 5],
       ARRAY['172.16.' || (g / 250) || '.' || (1 + g % 250)],
       CASE WHEN g % 20 = 0 THEN '{database}'::text[] WHEN g % 250 = 1 THEN '{dns}' ELSE '{web}' END,
       (2 + g % 6) * 2 || ' vCPU, ' || (4 + (g % 4) * 4) || ' GB RAM',
       CASE WHEN g % 50 = 0 THEN 'retired' WHEN g % 37 = 0 THEN 'maintenance' ELSE 'active' END,
       NULL, now() - interval '3 years' + g * interval '10 hours', now() - (g % 400) * interval '1 day'
FROM generate_series(1, :servers) g;

-- Websites: seven in ten active, one in ten each planned (half of those without a name yet),
-- suspended and retired. Labels are unique by (kind, place, k).
CREATE TEMP TABLE bench_sites AS
SELECT g,
       k.i AS kind_i,
       pl.name AS place,
       (g / (25 * 100)) AS k,
       CASE g % 10 WHEN 7 THEN 'planned' WHEN 3 THEN 'retired' WHEN 4 THEN 'suspended' ELSE 'active' END AS status
FROM generate_series(0, :websites - 1) g
JOIN bench_kinds k ON k.i = g % 25
JOIN bench_places pl ON pl.i = (g / 25) % 100;

INSERT INTO websites (opd_id, zone_id, label, hostname, purpose, status, server_id, cms, cms_version, template,
                      db_engine, db_host, db_name, db_user, tls_issuer, tls_expires_at, document_root,
                      contact_name, contact_nip, contact_phone, contact_email, notes, retired_at,
                      created_at, updated_at)
SELECT o.ids[1 + s.g % cardinality(o.ids)],
       CASE WHEN named THEN z.id END,
       CASE WHEN named THEN lbl END,
       CASE WHEN named THEN lbl || '.example-kab.go.id' END,
       replace(replace(k.purpose, '{place}', initcap(s.place)), '{k}', (1 + s.k)::text),
       s.status,
       CASE WHEN s.status <> 'planned' THEN srv.ids[1 + s.g % cardinality(srv.ids)] END,
       CASE WHEN s.g % 17 = 0 THEN NULL ELSE k.cms END,
       CASE k.cms WHEN 'wordpress' THEN '6.' || (s.g % 8) WHEN 'laravel' THEN (9 + s.g % 3)::text || '.x'
                  WHEN 'joomla' THEN '4.' || (s.g % 4) ELSE NULL END,
       CASE WHEN k.cms = 'wordpress' THEN 'Tema Desa Digital ' || (1 + s.g % 5) END,
       CASE WHEN s.g % 3 = 0 THEN 'postgresql' ELSE 'mariadb' END,
       'db-' || lpad((20 * (1 + s.g % 99))::text, 4, '0') || '.example-kab.go.id',
       replace(lbl, '-', '_'),
       replace(lbl, '-', '_'),
       CASE WHEN s.status IN ('active', 'suspended') THEN 'Let''s Encrypt' END,
       CASE WHEN s.status IN ('active', 'suspended') THEN now() + (s.g % 90 - 10) * interval '1 day' END,
       CASE WHEN named THEN '/var/www/' || lbl || '.example-kab.go.id/public_html' END,
       f.name || ' ' || l.name,
       (1970 + s.g % 30)::text || lpad((1 + s.g % 12)::text, 2, '0') || lpad((1 + s.g % 28)::text, 2, '0')
         || (2000 + s.g % 24)::text || lpad((1 + s.g % 12)::text, 2, '0') || (1 + s.g % 2)::text
         || lpad((1 + s.g % 999)::text, 3, '0'),
       '08' || (11 + s.g % 12)::text || '-' || lpad((s.g::bigint * 7919 % 10000)::text, 4, '0') || '-'
         || lpad((s.g::bigint * 104729 % 10000)::text, 4, '0'),
       lower(f.name) || '.' || lower(l.name) || (s.g % 100) || '@example-kab.go.id',
       CASE WHEN s.g % 9 = 0 THEN 'Dikelola operator ' || initcap(s.place) END,
       CASE WHEN s.status = 'retired' THEN now() - (s.g % 60) * interval '1 day' END,
       now() - interval '5 years' + s.g * interval '50 minutes',
       now() - (s.g % 700) * interval '1 day' - (s.g % 1440) * interval '1 minute'
FROM bench_sites s
JOIN bench_kinds k ON k.i = s.kind_i
JOIN bench_first f ON f.i = s.g % 36
JOIN bench_last l ON l.i = (s.g / 36) % 31
CROSS JOIN LATERAL (
  SELECT k.prefix || CASE WHEN k.prefix IN ('sdn', 'smpn', 'smkn') THEN '-' || (1 + s.k) || '-' || s.place
                          ELSE '-' || s.place || CASE WHEN s.k > 0 THEN '-' || s.k ELSE '' END END AS lbl,
         NOT (s.status = 'planned' AND s.g % 20 = 7) AS named
) n
CROSS JOIN (SELECT array_agg(id ORDER BY code) ids FROM opds) o
CROSS JOIN (SELECT array_agg(id ORDER BY name) ids FROM servers WHERE 'web' = ANY (roles)) srv
CROSS JOIN (SELECT id FROM dns_zones WHERE name = 'example-kab.go.id') z;

-- Their names in the zone; retired websites' names stay held for the quarantine.
INSERT INTO dns_names (zone_id, label, kind, website_id, held_until, created_at)
SELECT zone_id, label, 'website', id, CASE WHEN status = 'retired' THEN retired_at + interval '30 days' END, created_at
FROM websites WHERE hostname IS NOT NULL;

-- The pool: 10.20.0.0/16, usable 10.20.0.1 … 10.20.255.254, gateway 10.20.0.1.
INSERT INTO ip_pools (name, cidr, family, gateway, first_n, last_n, next_hint, notes)
VALUES ('Publik NOC 10.20/16', '10.20.0.0/16', 4, '10.20.0.1',
        10::numeric * 16777216 + 20 * 65536 + 1, 10::numeric * 16777216 + 20 * 65536 + 65534,
        10::numeric * 16777216 + 20 * 65536 + 1, 'Blok publik untuk hosting website');

CREATE TEMP TABLE bench_addrs AS
SELECT w.id AS website_id, w.created_at,
       p.first_n + row_number() OVER (ORDER BY w.created_at, w.id) AS n
FROM websites w CROSS JOIN ip_pools p
WHERE w.status IN ('active', 'suspended') AND p.cidr = '10.20.0.0/16';

INSERT INTO ip_allocations (pool_id, address, n, kind, website_id, note, created_at)
SELECT p.id,
       ((a.n::bigint >> 24) & 255) || '.' || ((a.n::bigint >> 16) & 255) || '.'
         || ((a.n::bigint >> 8) & 255) || '.' || (a.n::bigint & 255),
       a.n, 'website', a.website_id, NULL, a.created_at
FROM bench_addrs a CROSS JOIN ip_pools p WHERE p.cidr = '10.20.0.0/16';

INSERT INTO ip_allocations (pool_id, address, n, kind, note)
SELECT id, gateway, first_n, 'gateway', 'Gateway' FROM ip_pools WHERE cidr = '10.20.0.0/16';

UPDATE websites w SET ip_address = a.address
FROM ip_allocations a WHERE a.website_id = w.id;

-- Where the service leaves the hint: just above the highest address it handed out.
UPDATE ip_pools p SET next_hint = least(p.last_n, (SELECT max(n) + 1 FROM ip_allocations a WHERE a.pool_id = p.id))
WHERE cidr = '10.20.0.0/16';

DROP TABLE bench_places, bench_kinds, bench_first, bench_last, bench_sites, bench_addrs;

ANALYZE;
