#!/bin/sh
set -e

echo "Building dir-artifact:build"
docker build -t dir-artifact:build -f Dockerfile.build .

docker create --name dir-artifact-extract dir-artifact:build
docker cp dir-artifact-extract:/out ./out
docker rm -f dir-artifact-extract

echo "Building dir-artifact:latest"
docker build -t dir-artifact:latest .
rm -rf ./out
