.PHONY: demo test lint train bench
demo:            ## set up and run the main job on the bundled sample
	scripts/demo.sh
test:            ## set up and run ruff, mypy and the whole test suite
	scripts/test.sh
lint:
	. .venv/bin/activate && ruff check clientguard tests bench && mypy
train:           ## rebuild the toxicity model artifact (clientguard/nlp/models/toxicity.v1.*) from ../shared
	. .venv/bin/activate && python -m clientguard.nlp.train_toxicity --shared ../shared --out clientguard/nlp/models/
