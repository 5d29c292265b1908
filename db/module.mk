# db/module.mk: compiles the migrations and seed SQL into the library, so programs carry
# their schema and never depend on a file path at run time.
DB_SQL := $(sort $(wildcard db/migrations/*.sql)) $(sort $(wildcard db/seed/*.sql))

$(BUILD)/gen/db_embed.c: scripts/embed-sql.sh $(DB_SQL)
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $(DB_SQL) > $@.tmp && mv $@.tmp $@
